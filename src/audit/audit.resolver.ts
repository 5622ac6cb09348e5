import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { PageArgs } from '../graphql/connection';
import type { GraphQLContext } from '../graphql/context';
import { VillageArgs } from '../villages/village.args';
import { AuditEntryConnection } from './audit.types';
import { AuditTrailQueries } from './read-model/audit-trail.queries';

@Resolver()
export class AuditResolver {
  constructor(
    private readonly queries: AuditTrailQueries,
    private readonly scope: Scope,
  ) {}

  @Query(() => AuditEntryConnection, {
    description:
      'Every event of the village in store order: the supervision committee and township.',
  })
  async auditTrail(
    @Args() { villageId }: VillageArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    await this.scope.require(context.actor as Actor, villageId);
    return this.queries.trail(villageId, page);
  }
}
