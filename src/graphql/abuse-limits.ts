import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import {
  GraphQLError,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { AppConfig } from '../config/config';

/**
 * Every limit on what one GraphQL request may ask of the server. They are sized to let through a
 * Relay connection inside a connection, the deepest query expected: village → meetings → edges →
 * node → agenda → edges → node → title is depth 8.
 */
export const GRAPHQL_LIMITS = {
  /** Nested fields: that depth-8 query plus two levels of slack; deeper is a recursion attack. */
  maxDepth: 10,
  /** Aliases per operation: clients use a few; hundreds run one resolver hundreds of times. */
  maxAliases: 15,
  /** Tokens per document: that query is ~60, GraphiQL's introspection ~180; parsing stops here. */
  maxTokens: 2000,
  /** ≈ values resolved (cost model in armorFor): 20 meetings × 20 agenda items costs ~6,300. */
  maxCost: 10_000,
  /** Directives per operation: clients use a few @include/@skip; floods attack validation. */
  maxDirectives: 10,
  /** JSON request body (query and variables), for the express body parser in main.ts. */
  bodyLimit: '100kb',
} as const;

/** extensions.code of a refusal by any limit above but bodyLimit (an HTTP 413 before GraphQL). */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** Marks armor's refusals so that labelRefusals can find them after Apollo has wrapped them. */
class QueryTooComplexError extends GraphQLError {}

/** For transports Apollo's plugins do not see (graphql-ws): whether armor refused this. */
export const isQueryTooComplex = (error: GraphQLError): boolean =>
  error instanceof QueryTooComplexError || error.originalError instanceof QueryTooComplexError;

// Armor prefixes its messages with "Syntax Error: " although the document parsed.
const refuse = (context: ValidationContext | null, error: GraphQLError): void => {
  context?.reportError(new QueryTooComplexError(error.message.replace(/^Syntax Error: /, '')));
};

/** Reported through the validation context instead of thrown, so Apollo answers 400, not 500. */
const rejection = { propagateOnRejection: false, onReject: [refuse] };

// graphql-js's own wording (16 says "more that", 17 "more than").
const TOO_MANY_TOKENS = /Document contains more th(?:at|an) \d+ tokens/;

/**
 * Apollo gives every validation error the code GRAPHQL_VALIDATION_FAILED, whatever the rule set,
 * and every parse error GRAPHQL_PARSE_FAILED: a client could not tell "too big, simplify" from a
 * typo. Apollo formats the errors after this hook, so relabelling them in place is what it sends.
 */
const labelRefusals: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (error.originalError instanceof QueryTooComplexError) {
            error.extensions.code = QUERY_TOO_COMPLEX;
          } else if (
            error.extensions.code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED &&
            TOO_MANY_TOKENS.test(error.message)
          ) {
            error.message = `Token limit of ${GRAPHQL_LIMITS.maxTokens} exceeded.`;
            error.extensions.code = QUERY_TOO_COMPLEX;
          }
        }
      },
    };
  },
};

/**
 * @apollo/server has separate CommonJS and ES module typings whose HeaderMaps are not assignable
 * to each other: this app's code and armor see the first, Nest's Apollo driver (ESM) the second.
 * One plugin object serves both at run time, so it is typed as both.
 */
type Plugin = ApolloServerPlugin & NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * graphql-armor's protections for Apollo, plus the token limit as a parse option. Spread the
 * result into the Apollo driver's options.
 *
 * A refusal is a 400 with one error per limit exceeded, `extensions.code` QUERY_TOO_COMPLEX and a
 * message naming the limit and what was found, e.g. "Query depth limit of 10 exceeded, found 12."
 * In production armor masks `Did you mean "…"?` (fields, arguments, types) so that with
 * introspection off the schema cannot be guessed from suggestions; graphql-js words its
 * inline-fragment and enum-value suggestions differently, and those still get through.
 */
export function armorFor(config: Pick<AppConfig, 'production'>): {
  plugins: Plugin[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
} {
  const armor = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, ...rejection },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, ...rejection },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, ...rejection },
    costLimit: {
      maxCost: GRAPHQL_LIMITS.maxCost,
      // Depth is bounded by maxDepth already; without compounding 1.5× per level the cost stays
      // close to the number of values resolved (objects 2, scalars 1, times literal first/last).
      depthCostFactor: 1,
      ...rejection,
    },
    // Armor's Apollo token plugin throws from parsingDidStart: every refusal, and every syntax
    // error, becomes a 500, and its unexpectedErrorProcessingRequest hook relabels any internal
    // error as GRAPHQL_VALIDATION_FAILED with its message exposed. graphql-js counts tokens itself.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: config.production },
  }).protect();
  return {
    plugins: [...armor.plugins, labelRefusals] as Plugin[],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
  };
}
