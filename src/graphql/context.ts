import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor';
import { AuthenticationError, bearerToken, type TokenService } from '../auth/tokens';
import { type CommandContext, commandContext } from '../common/command-context';

/**
 * Per request (or per graphql-ws connection): who is asking, or why the token was refused. A bad
 * token is not an error here: the RolesGuard answers UNAUTHENTICATED for every operation but the
 * public ones, so `server` stays answerable for health checks with any header.
 */
export interface GraphQLContext {
  readonly req?: Request;
  readonly res?: Response;
  readonly actor?: Actor;
  readonly authError?: string;
  readonly correlationId?: string;
  readonly channel?: string;
}

type Headers = Readonly<Record<string, unknown>>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
};

export async function authenticate(
  tokens: TokenService,
  headers: Headers,
): Promise<Pick<GraphQLContext, 'actor' | 'authError' | 'correlationId' | 'channel'>> {
  const meta = {
    correlationId: header(headers, 'x-correlation-id'),
    channel: header(headers, 'x-cunyi-channel'),
  };
  try {
    const token = bearerToken(header(headers, 'authorization') ?? header(headers, 'Authorization'));
    if (token === undefined) return meta;
    return { ...meta, actor: await tokens.verify(token) };
  } catch (error) {
    if (error instanceof AuthenticationError) return { ...meta, authError: error.message };
    throw error;
  }
}

/** HTTP requests carry headers; graphql-ws connections carry the same keys in connectionParams. */
export function graphqlContextFactory(tokens: TokenService) {
  return async (input: {
    req?: Request;
    res?: Response;
    connectionParams?: Headers;
    extra?: unknown;
  }): Promise<GraphQLContext> => {
    const headers = input.req?.headers ?? input.connectionParams ?? {};
    return { req: input.req, res: input.res, ...(await authenticate(tokens, headers)) };
  };
}

/** The command context of a request whose actor the RolesGuard has already required. */
export function commandContextOf(context: GraphQLContext): CommandContext {
  if (context.actor === undefined) throw new Error('commandContextOf: no actor (guard missing)');
  return commandContext(context.actor, context);
}
