import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { forbidden, unauthenticated } from '../common/errors';
import type { GraphQLContext } from '../graphql/context';
import type { Role } from './actor';
import { MUTATION_ROLES, PUBLIC_QUERIES, QUERY_ROLES, SUBSCRIPTION_ROLES } from './permissions';

const TABLES: Record<string, Readonly<Record<string, readonly Role[]>>> = {
  Query: QUERY_ROLES,
  Mutation: MUTATION_ROLES,
  Subscription: SUBSCRIPTION_ROLES,
};

/**
 * Every root field is checked against permissions.ts before its resolver runs: no token or a bad
 * one is UNAUTHENTICATED, a role the table does not name is FORBIDDEN. Fields of object types are
 * not root fields and pass; their visibility is the resolvers' (visibility.ts).
 */
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    if (execution.getType<string>() !== 'graphql') return true;
    const gql = GqlExecutionContext.create(execution);
    const info = gql.getInfo<GraphQLResolveInfo>();
    const table = TABLES[info.parentType.name];
    if (table === undefined) return true;
    const field = info.fieldName;
    if (info.parentType.name === 'Query' && PUBLIC_QUERIES.includes(field)) return true;
    const context = gql.getContext<GraphQLContext>();
    if (context.authError !== undefined) throw unauthenticated(context.authError);
    if (context.actor === undefined) throw unauthenticated();
    if (!table[field]?.includes(context.actor.role)) throw forbidden();
    return true;
  }
}
