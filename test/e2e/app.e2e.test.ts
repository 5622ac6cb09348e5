/** The app in-process over real HTTP: GraphQL, /health and /ready, on each kind of store. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/config';

async function serve(env: Record<string, string>): Promise<[INestApplication, string]> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig(env)), { logger: false });
  await app.listen(0, '127.0.0.1');
  return [app, await app.getUrl()];
}

async function graphql(url: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: unknown;
      errors?: Array<{ extensions: { code: string } }>;
    },
  };
}

describe('on the embedded sqlite store', () => {
  let dataDir: string;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunyi-e2e-'));
    [app, url] = await serve({ EVENT_STORE: 'sqlite', DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its events in DATA_DIR/events.db', () => {
    expect(existsSync(join(dataDir, 'events.db'))).toBe(true);
  });

  it('answers the server query', async () => {
    const { status, body } = await graphql(url, '{ server { name version eventStore } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        server: {
          name: 'cunyi',
          version: expect.stringMatching(/^\d+\.\d+\.\d+/),
          eventStore: 'SQLITE',
        },
      },
    });
  });

  it('refuses a query for a field that does not exist with a coded error', async () => {
    const { status, body } = await graphql(url, '{ nothing }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is live and ready', async () => {
    const live = await fetch(`${url}/health`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: {
        eventStore: { status: 'up' },
        readModel: { status: 'up' },
        transparencyLog: { status: 'up' },
      },
    });
  });
});

describe('on an EventStoreDB that cannot be reached', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, so the connection is refused at once.
    [app, url] = await serve({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false',
    });
  });
  afterAll(() => app.close());

  it('is live but not ready, and says the store is down', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      status: 'error',
      error: { eventStore: { status: 'down' } },
    });
  });
});
