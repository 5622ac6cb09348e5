import { GraphQLError } from 'graphql';

/**
 * Errors that are not the domain's refusals: who is asking (UNAUTHENTICATED), what they may do
 * (FORBIDDEN), and input that is malformed before any decider sees it (BAD_USER_INPUT). They are
 * GraphQL errors from the start, with a stable code; DomainErrors are mapped in graphql-errors.ts.
 */
export function unauthenticated(message = 'a valid Bearer token is required'): GraphQLError {
  // HTTP 200, as every answer once execution has run (GraphQL over HTTP with application/json;
  // @nestjs/apollo resets any status a resolver's error sets): the code is what a client reads.
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/**
 * The same answer whether the object is out of the caller's scope or does not exist at all, so a
 * refusal never reveals what another village has on record.
 */
export function forbidden(message = 'not permitted for this role or scope'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', field },
  });
}
