import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Controller, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { Actor, Role } from '../auth/actor';
import { armorFor, GRAPHQL_LIMITS, QUERY_TOO_COMPLEX } from './abuse-limits';
import {
  MutationThrottlerGuard,
  RATE_LIMITED,
  throttlerOptionsFor,
} from './mutation-throttler.guard';

@Resolver()
class CounterResolver {
  private count = 0;

  @Query(() => Int, { name: 'count' })
  current(): number {
    return this.count;
  }

  @Mutation(() => Int)
  increment(): number {
    return ++this.count;
  }

  @Mutation(() => Int)
  reset(): number {
    this.count = 0;
    return this.count;
  }
}

@Controller('plain')
class PlainController {
  @Post()
  post(): string {
    return 'ok';
  }
}

/** 'VILLAGER:v1' → that actor; no header → anonymous. */
function actorFrom(header: string | string[] | undefined): Actor | undefined {
  if (typeof header !== 'string') return undefined;
  const [role, subject] = header.split(':');
  return { role: role as Role, subject };
}

interface GraphQLResponse {
  status: number;
  retryAfter: string | null;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: string[]; extensions: Record<string, unknown> }>;
}

describe('MutationThrottlerGuard, 3 mutations a minute, wired as in the app', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          context: ({ req, res }: { req: Request; res: Response }) => ({
            req,
            res,
            actor: actorFrom(req.headers['x-test-actor']),
          }),
          ...armorFor({ production: false }),
        }),
        ThrottlerModule.forRoot(throttlerOptionsFor({ mutationsPerMinute: 3 })),
      ],
      controllers: [PlainController],
      providers: [CounterResolver, { provide: APP_GUARD, useClass: MutationThrottlerGuard }],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    app.useBodyParser('json', { limit: GRAPHQL_LIMITS.bodyLimit });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  async function graphql(query: string, actor?: string): Promise<GraphQLResponse> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(actor === undefined ? {} : { 'x-test-actor': actor }),
      },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      ...((await response.json()) as Omit<GraphQLResponse, 'status' | 'retryAfter'>),
    };
  }

  it('refuses an actor’s 4th mutation with RATE_LIMITED and when to retry', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await graphql('mutation { increment }', 'CLERK:c1')).errors).toBeUndefined();
    }
    const refused = await graphql('mutation { increment }', 'CLERK:c1');
    expect(refused.data).toBeNull();
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Too many mutations: at most 3 a minute\. Retry in \d+ s\.$/,
        ),
        path: ['increment'],
        extensions: { code: RATE_LIMITED, retryAfterSeconds: expect.any(Number) },
      }),
    ]);
    const retryAfter = refused.errors?.[0]?.extensions.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.retryAfter).toBe(String(retryAfter));
  });

  it('counts every mutation against one budget per actor', async () => {
    await graphql('mutation { increment }', 'CLERK:c2');
    await graphql('mutation { reset }', 'CLERK:c2');
    await graphql('mutation { increment }', 'CLERK:c2');
    const refused = await graphql('mutation { reset }', 'CLERK:c2');
    expect(refused.errors?.[0]?.extensions.code).toBe(RATE_LIMITED);
  });

  it('keeps actors apart, the same subject in another role too', async () => {
    for (let i = 0; i < 4; i++) await graphql('mutation { increment }', 'VILLAGER:v1');
    expect((await graphql('mutation { increment }', 'VILLAGER:v2')).errors).toBeUndefined();
    expect((await graphql('mutation { increment }', 'SUPERVISOR:v1')).errors).toBeUndefined();
  });

  it('never limits queries', async () => {
    for (let i = 0; i < 4; i++) await graphql('mutation { increment }', 'CLERK:c3');
    for (let i = 0; i < 5; i++) {
      const answer = await graphql('{ count }', 'CLERK:c3');
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ count: expect.any(Number) });
    }
  });

  it('counts each mutation field of one operation', async () => {
    const before = (await graphql('{ count }')).data?.count as number;
    const answer = await graphql(
      'mutation { a: increment b: increment c: increment d: increment }',
      'CLERK:c4',
    );
    expect(answer.data).toEqual(null);
    expect(answer.errors).toEqual([
      expect.objectContaining({
        path: ['d'],
        extensions: expect.objectContaining({ code: RATE_LIMITED }),
      }),
    ]);
    expect((await graphql('{ count }')).data?.count).toBe(before + 3);
  });

  it('tracks requests without an actor by address', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await graphql('mutation { increment }')).errors).toBeUndefined();
    }
    expect((await graphql('mutation { increment }')).errors?.[0]?.extensions.code).toBe(
      RATE_LIMITED,
    );
    expect((await graphql('mutation { increment }', 'CLERK:c5')).errors).toBeUndefined();
  });

  it('leaves plain HTTP routes alone', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${url}/plain`, { method: 'POST' });
      expect(response.status).toBe(201);
    }
  });

  it('applies the query limits through the Apollo driver', async () => {
    const aliases = Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: count`);
    const tooWide = await graphql(`{ ${aliases.join(' ')} }`);
    expect(tooWide.status).toBe(400);
    expect(tooWide.errors?.[0]?.extensions.code).toBe(QUERY_TOO_COMPLEX);
    const tooLong = await graphql(`{ ${'count '.repeat(GRAPHQL_LIMITS.maxTokens)} }`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.errors?.[0]?.extensions.code).toBe(QUERY_TOO_COMPLEX);
  });

  it('refuses a body over the limit before GraphQL sees it', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ count }', variables: { pad: 'x'.repeat(100 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });
});
