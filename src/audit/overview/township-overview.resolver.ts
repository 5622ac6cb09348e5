import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../auth/actor';
import { forbidden } from '../../common/errors';
import type { GraphQLContext } from '../../graphql/context';
import { TownshipOverviewQueries } from './township-overview.queries';
import { TownshipOverview, TownshipOverviewArgs } from './township-overview.types';

@Resolver(() => TownshipOverview)
export class TownshipOverviewResolver {
  constructor(private readonly queries: TownshipOverviewQueries) {}

  @Query(() => TownshipOverview, {
    description:
      'The township’s villages over a period, for its auditor: meetings held and their quorum, resolutions by matter and outcome, and what stands overdue (P2 publications, petition duties, C2 orders).',
  })
  townshipOverview(
    @Args() { township, period }: TownshipOverviewArgs,
    @Context() context: GraphQLContext,
  ): TownshipOverview {
    // The guard admits auditors only; an auditor reads their own township and no other.
    const actor = context.actor as Actor;
    if (actor.role !== 'TOWNSHIP_AUDITOR' || actor.township !== township) throw forbidden();
    return this.queries.overview(township, period);
  }
}
