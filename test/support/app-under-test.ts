/**
 * The app in-process over real HTTP, on the sqlite store in a temp dir, with a clock the test
 * moves (a meeting opens no sooner than ten days after its notice, A2). Tokens are minted by the
 * app's own token service, exactly as `npm run cli -- token` mints them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import type { Actor } from '../../src/auth/actor';
import { TOKEN_SERVICE } from '../../src/auth/auth.module';
import type { TokenService } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config/config';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>;
}

export class TestClock {
  private offset = 0;
  /** Fixed at `start` until moved; with `start` null, the system's time (moved by the same days). */
  constructor(private readonly start: number | null = Date.parse('2026-03-02T01:00:00.000Z')) {}
  /** A clock that reads the system's time, as the app's own clock does, until the test moves it. */
  static onSystemTime(): TestClock {
    return new TestClock(null);
  }
  now = (): Date => new Date((this.start ?? Date.now()) + this.offset);
  advanceDays(days: number): void {
    this.offset += days * 24 * 60 * 60 * 1000;
  }
}

export interface AppUnderTest {
  readonly app: INestApplication;
  readonly url: string;
  readonly clock: TestClock;
  readonly dataDir: string;
  token(actor: Actor): Promise<string>;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The app's clock; by default fixed at 2026-03-02 until the test moves it. */
  readonly clock?: TestClock;
}

export async function startApp(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<AppUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunyi-app-'));
  const clock = options.clock ?? new TestClock();
  const config = loadConfig({ EVENT_STORE: 'sqlite', DATA_DIR: dataDir, ...env });
  const app = await NestFactory.create(AppModule.forRoot(config, { clock }), { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = app.get<TokenService>(TOKEN_SERVICE);
  return {
    app,
    url,
    clock,
    dataDir,
    token: (actor) => tokens.mint(actor),
    async graphql(query, variables, token) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The data of a response that must have succeeded; otherwise the test fails showing the errors. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors !== undefined || response.data == null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
  return response.data;
}

/** The one error of a refused operation: its code and rule id. */
export function refusal(response: GraphQLResponse): { code: unknown; ruleId: unknown } {
  const error = response.errors?.[0];
  if (error === undefined)
    throw new Error(`expected a refusal, got ${JSON.stringify(response.data)}`);
  return { code: error.extensions?.code, ruleId: error.extensions?.ruleId };
}

/** The code of a response's first error, if it has one. */
export function codeOf(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}
