import { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery } from 'graphql';
import { armorFor, GRAPHQL_LIMITS, QUERY_TOO_COMPLEX } from './abuse-limits';

const typeDefs = `#graphql
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Item { id: ID! title: String! }
  type ItemEdge { cursor: String! node: Item! }
  type ItemConnection { edges: [ItemEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Meeting { id: ID! title: String! agenda(first: Int, after: String): ItemConnection! }
  type MeetingEdge { cursor: String! node: Meeting! }
  type MeetingConnection { edges: [MeetingEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Village { id: ID! name: String! meetings(first: Int, after: String): MeetingConnection! }
  type Person { name: String! parent: Person }
  type Query { village(id: ID!): Village  person: Person }
`;

const connection = <T>(node: T) => ({
  edges: [{ cursor: 'c1', node }],
  pageInfo: { hasNextPage: false, endCursor: 'c1' },
  totalCount: 1,
});
const person = { name: 'Li', parent: null };
const resolvers = {
  Query: {
    village: () => ({
      id: 'v1',
      name: 'Dongshan',
      meetings: connection({
        id: 'm1',
        title: 'Spring assembly',
        agenda: connection({ id: 'i1', title: 'Well repair' }),
      }),
    }),
    person: () => person,
  },
};

/** A Relay connection inside a connection, depth 8, at the default page size. */
const relayPage = (first: number, nestedFirst: number) => `{
  village(id: "v1") {
    name
    meetings(first: ${first}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id title
          agenda(first: ${nestedFirst}) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { cursor node { id title } }
          }
        }
      }
    }
  }
}`;

const nested = (depth: number) =>
  `{ person { ${'parent { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} } }`;

async function serverFor(production: boolean): Promise<ApolloServer> {
  const server = new ApolloServer({ typeDefs, resolvers, ...armorFor({ production }) });
  await server.start();
  return server;
}

async function run(server: ApolloServer, query: string) {
  const response = await server.executeOperation({ query });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, ...response.body.singleResult };
}

describe('armorFor', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = await serverFor(false);
  });
  afterAll(() => server.stop());

  it('lets a depth-8 Relay query at the default page size through', async () => {
    const result = await run(server, relayPage(20, 20));
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ village: { meetings: { totalCount: 1 } } });
  });

  it('lets the introspection query through, so GraphiQL works where it is enabled', async () => {
    const result = await run(server, getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
  });

  it.each([
    [
      'that is too deep',
      nested(GRAPHQL_LIMITS.maxDepth + 1),
      'Query depth limit of 10 exceeded, found 11.',
    ],
    [
      'with too many aliases',
      `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: person { name }`).join(' ')} }`,
      'Aliases limit of 15 exceeded, found 16.',
    ],
    [
      'with too many tokens',
      `{ ${'__typename '.repeat(GRAPHQL_LIMITS.maxTokens)} }`,
      'Token limit of 2000 exceeded.',
    ],
    [
      'that is too costly',
      relayPage(100, 100),
      expect.stringMatching(/^Query Cost limit of 10000 exceeded, found \d+\.$/),
    ],
    [
      'with too many directives',
      `{ ${'person @include(if: true) { name } '.repeat(GRAPHQL_LIMITS.maxDirectives + 1)} }`,
      'Directives limit of 10 exceeded, found 11.',
    ],
  ])('refuses a query %s with a 400 and QUERY_TOO_COMPLEX', async (_, query, message) => {
    const result = await run(server, query);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({ message, extensions: { code: QUERY_TOO_COMPLEX } }),
    ]);
  });

  it('leaves the codes of ordinary syntax and validation errors alone', async () => {
    const syntax = await run(server, '{ person { name }');
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await run(server, '{ nobody }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('suggests field names outside production', async () => {
    const result = await run(server, '{ person { nmae } }');
    expect(result.errors?.[0]?.message).toContain('Did you mean "name"?');
  });
});

describe('armorFor in production', () => {
  let server: ApolloServer;
  beforeAll(async () => {
    server = await serverFor(true);
  });
  afterAll(() => server.stop());

  it('hides field suggestions, which would map the schema with introspection off', async () => {
    const result = await run(server, '{ person { nmae } }');
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.message).toMatch(/^Cannot query field "nmae" on type "Person"\./);
    expect(result.errors?.[0]?.message).not.toContain('Did you mean');
    expect(result.errors?.[0]?.message).not.toContain('"name"');
  });

  it('still refuses what is over the limits', async () => {
    const result = await run(server, nested(GRAPHQL_LIMITS.maxDepth + 1));
    expect(result.errors?.[0]?.extensions?.code).toBe(QUERY_TOO_COMPLEX);
  });
});
