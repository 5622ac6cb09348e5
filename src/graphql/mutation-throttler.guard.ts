import { type ExecutionContext, Injectable } from '@nestjs/common';
import { type GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { Actor } from '../auth/actor';
import type { AppConfig } from '../config/config';

/** extensions.code of a mutation refused for going over MUTATIONS_PER_MINUTE. */
export const RATE_LIMITED = 'RATE_LIMITED';

/** What the guard reads of the GraphQL context. Operations over graphql-ws have no req or res. */
interface ThrottledContext {
  readonly req?: Request;
  readonly res?: Response;
  readonly actor?: Actor;
}

const graphqlContext = (context: ExecutionContext): ThrottledContext =>
  GqlExecutionContext.create(context).getContext<ThrottledContext>();

/** ThrottlerModule.forRoot options: at most `mutationsPerMinute` mutations in any 60 seconds. */
export function throttlerOptionsFor(
  config: Pick<AppConfig, 'mutationsPerMinute'>,
): ThrottlerModuleOptions {
  return [
    {
      ttl: 60_000,
      limit: config.mutationsPerMinute,
      // No lock-out on top: the next mutation is allowed as soon as the oldest one in the window
      // is a minute old, instead of a full minute after the refusal.
      blockDuration: 0,
    },
  ];
}

/**
 * MUTATIONS_PER_MINUTE, per person: each root mutation field counts once against one budget
 * shared by all mutations. Queries, subscriptions and plain HTTP routes are never counted; reads
 * are bounded by the query limits in abuse-limits.ts instead.
 */
@Injectable()
export class MutationThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() !== 'graphql') return true;
    const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
    // Only root fields: fields resolved inside a mutation's result (should guards ever be enabled
    // on field resolvers) are part of the same command.
    return info.operation.operation !== 'mutation' || info.path.prev !== undefined;
  }

  protected override getRequestResponse(context: ExecutionContext) {
    const { req, res } = graphqlContext(context);
    // Over graphql-ws there is no HTTP exchange: the actor is the tracker and no headers are set.
    return { req: req ?? {}, res: res ?? {} };
  }

  protected override async getTracker(
    req: Record<string, unknown>,
    context?: ExecutionContext,
  ): Promise<string> {
    const actor = context && graphqlContext(context).actor;
    // Per person rather than per address: a village office or a mobile carrier puts many people
    // behind one IP. Only requests without a token fall back to the address.
    return actor ? `${actor.role}:${actor.subject}` : super.getTracker(req);
  }

  // The base class keys by resolver class and method, which would give every mutation its own
  // budget; MUTATIONS_PER_MINUTE is one budget for all of them.
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    { limit, timeToBlockExpire }: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new GraphQLError(
      `Too many mutations: at most ${limit} a minute. Retry in ${timeToBlockExpire} s.`,
      { extensions: { code: RATE_LIMITED, retryAfterSeconds: timeToBlockExpire } },
    );
  }
}
