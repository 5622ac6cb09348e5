import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  specifiedRules,
  validate,
} from 'graphql';
import type { TokenService } from '../auth/tokens';
import type { AppConfig } from '../config/config';
import { armorFor, isQueryTooComplex, QUERY_TOO_COMPLEX } from './abuse-limits';
import { graphqlContextFactory } from './context';
import { formatErrorFor } from './graphql-errors';

/** Typed for both of @apollo/server's typings, as in abuse-limits.ts. */
type Plugin = ApolloServerPlugin & NonNullable<ApolloDriverConfig['plugins']>[number];

/** A POST body Apollo may read: JSON. Nest also parses form-urlencoded bodies into objects. */
const isJson = (contentType: string | undefined): boolean =>
  contentType?.split(';')[0].trim().toLowerCase() === 'application/json';

/**
 * Requests answered as the client's mistake (BAD_REQUEST) that Apollo would otherwise serve or
 * answer INTERNAL_SERVER_ERROR:
 *  - a POST whose body is not JSON (HTTP 415): Nest's default urlencoded parser turns
 *    `query=mutation…` into the object Apollo expects, and with a preflight header (which passes
 *    Apollo's CSRF check) a form-encoded mutation would run;
 *  - a subscription over HTTP (400): subscriptions are served over graphql-ws only; Apollo would
 *    run the field's resolver once, without the event it maps, and fail;
 *  - errors Apollo gives an HTTP 4xx but no code (a persisted query of an unknown version, or
 *    whose sha256Hash does not match its query), which it would label INTERNAL_SERVER_ERROR.
 */
export const requestRefusals = {
  async requestDidStart() {
    return {
      // The first hook whose GraphQLError Apollo answers as it is (one thrown from requestDidStart
      // becomes an internal error); a document that does not parse or validate is refused before.
      async didResolveOperation({ request, operation }) {
        if (request.http?.method === 'POST' && !isJson(request.http.headers.get('content-type'))) {
          throw new GraphQLError('a POST body must be JSON (content-type: application/json)', {
            extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
          });
        }
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('subscriptions are served over WebSocket (graphql-ws) only', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
          const clientError = typeof status === 'number' && status >= 400 && status < 500;
          if (clientError && error.extensions.code === undefined) {
            error.extensions.code = 'BAD_REQUEST';
          }
        }
      },
    };
  },
} as ApolloServerPlugin as Plugin;

/** How Apollo serves the schema: who is asking, how errors look, and the abuse limits. */
export function graphqlOptions(
  config: AppConfig,
  tokens: TokenService,
): Omit<ApolloDriverConfig, 'driver'> {
  const armor = armorFor(config);
  const format = formatErrorFor(config.development);
  // Apollo's formatError and plugins see HTTP only; graphql-ws results are formatted here alike.
  const formatted = (error: GraphQLError) => {
    const json = error.toJSON();
    return format(
      isQueryTooComplex(error)
        ? { ...json, extensions: { ...json.extensions, code: QUERY_TOO_COMPLEX } }
        : json,
      error,
    );
  };
  return {
    // Built in memory: the committed schema.gql is written by `npm run schema`, never at
    // start-up (the production image's files are read-only).
    autoSchemaFile: true,
    sortSchema: true,
    path: '/graphql',
    context: graphqlContextFactory(tokens),
    subscriptions: {
      // graphql-ws validates on its own: the same limits apply to operations sent over it.
      'graphql-ws': {
        validate: (schema: GraphQLSchema, document: DocumentNode) =>
          validate(schema, document, [...specifiedRules, ...armor.validationRules]),
        onError: (
          _context: unknown,
          _id: string,
          _payload: unknown,
          errors: readonly GraphQLError[],
        ) => errors.map(formatted),
        onNext: (
          _context: unknown,
          _id: string,
          _payload: unknown,
          _args: unknown,
          result: { errors?: readonly GraphQLError[] },
        ) =>
          result.errors === undefined
            ? result
            : { ...result, errors: result.errors.map(formatted) },
      },
    },
    formatError: format,
    includeStacktraceInErrorResponses: config.development,
    introspection: !config.production,
    ...armor,
    plugins: [...armor.plugins, requestRefusals],
  } as Omit<ApolloDriverConfig, 'driver'>;
}
