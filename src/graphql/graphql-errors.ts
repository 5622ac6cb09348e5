import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '@cunyi/domain';
import { EventStoreClosed, StorageFailure, WrongExpectedRevision } from '@cunyi/event-store';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AuthenticationError } from '../auth/tokens';

/**
 * The one place where an error becomes what a client sees. A domain refusal keeps its stable code
 * and the rule that refused; store contention that outlasted the retries is CONFLICT; anything
 * unexpected is INTERNAL_SERVER_ERROR with no message or stack outside development.
 */
export function formatErrorFor(development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
    };
    if (original instanceof DomainError) {
      return {
        ...base,
        message: original.message,
        extensions: {
          code: original.code,
          ...(original.ruleId === undefined ? {} : { ruleId: original.ruleId }),
        },
      };
    }
    if (original instanceof AuthenticationError) {
      return { ...base, message: original.message, extensions: { code: 'UNAUTHENTICATED' } };
    }
    if (original instanceof WrongExpectedRevision) {
      return {
        ...base,
        message: 'the record changed while this was being decided; try again',
        extensions: { code: 'CONFLICT' },
      };
    }
    if (original instanceof EventStoreClosed || original instanceof StorageFailure) {
      return {
        ...base,
        message: 'the event store is unavailable',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      };
    }
    const code = formatted.extensions?.code;
    if (
      original instanceof GraphQLError ||
      (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR')
    ) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: development ? formatted.extensions : extensions };
    }
    if (development) return formatted;
    return {
      ...base,
      message: 'internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
