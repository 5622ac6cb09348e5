import type { ApolloDriverConfig } from '@nestjs/apollo';
import { type DocumentNode, type GraphQLSchema, specifiedRules, validate } from 'graphql';
import type { TokenService } from '../auth/tokens';
import type { AppConfig } from '../config/config';
import { armorFor } from './abuse-limits';
import { graphqlContextFactory } from './context';
import { formatErrorFor } from './graphql-errors';

/** How Apollo serves the schema: who is asking, how errors look, and the abuse limits. */
export function graphqlOptions(
  config: AppConfig,
  tokens: TokenService,
): Omit<ApolloDriverConfig, 'driver'> {
  const armor = armorFor(config);
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
      },
    },
    formatError: formatErrorFor(config.production),
    includeStacktraceInErrorResponses: !config.production,
    introspection: !config.production,
    ...armor,
  } as Omit<ApolloDriverConfig, 'driver'>;
}
