import type { ApolloDriverConfig } from '@nestjs/apollo';
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  specifiedRules,
  validate,
} from 'graphql';
import type { TokenService } from '../auth/tokens';
import type { AppConfig } from '../config/config';
import { armorFor, isQueryTooComplex, QUERY_TOO_COMPLEX } from './abuse-limits';
import { graphqlContextFactory } from './context';
import { formatErrorFor } from './graphql-errors';

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
  } as Omit<ApolloDriverConfig, 'driver'>;
}
