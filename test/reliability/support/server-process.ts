/**
 * The built server (dist/src/main.js) as a child process, the way `npm start` runs it, for tests
 * that kill it: start it on a DATA_DIR and a free port, wait until /ready, talk GraphQL to it, and
 * stop it with SIGTERM or SIGKILL. Every child started is remembered, so a test's afterAll can kill
 * whatever is still running even when the test failed halfway.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const MAIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');

/** Keeps this much of each output stream: enough to explain a failure, bounded under load. */
const OUTPUT_KEPT = 20_000;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{
    message: string;
    extensions?: Record<string, unknown>;
    path?: string[];
  }>;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<Exit>;
  /** The tail of what it wrote, for failure messages. */
  output(): string;
  /** Alive: not exited, not killed by a signal. */
  running(): boolean;
}

const children = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns the server with exactly `env` (and PATH) on a free port of 127.0.0.1. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    exited,
    output: () => out,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/**
 * startServer, then waitUntilReady; started again on another port should the one picked have been
 * taken in between by someone else (EADDRINUSE), up to three times.
 */
export async function startReadyServer(env: Record<string, string>): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const server = await startServer(env);
    try {
      await waitUntilReady(server);
      return server;
    } catch (error) {
      if (server.running()) await killHard(server);
      if (attempt === 3 || !server.output().includes('EADDRINUSE')) throw error;
    }
  }
}

/** The /ready answer: 200 once the store answers and the read model and log are following it. */
export interface Readiness {
  readonly ok: boolean;
  /** Positions the read model and the transparency log have applied, as /ready reports them. */
  readonly readModel?: bigint;
  readonly transparencyLog?: bigint;
}

export async function readiness(url: string): Promise<Readiness> {
  try {
    const response = await fetch(`${url}/ready`);
    const body = (await response.json()) as {
      info?: Record<string, { position?: string }>;
    };
    const position = (name: string) => {
      const value = body.info?.[name]?.position;
      return value === undefined ? undefined : BigInt(value);
    };
    return {
      ok: response.ok,
      readModel: position('readModel'),
      transparencyLog: position('transparencyLog'),
    };
  } catch {
    return { ok: false };
  }
}

export async function waitUntilReady(server: ServerProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!server.running()) {
      throw new Error(`the server exited while starting:\n${server.output()}`);
    }
    if ((await readiness(server.url)).ok) return;
    await sleep(50);
  }
  throw new Error(`${server.url} was not ready within ${ms} ms:\n${server.output()}`);
}

/**
 * Waits until /ready says both the read model and the transparency log have applied every event up
 * to `position` (the store's last, read from events.db).
 */
export async function waitUntilCaughtUp(
  server: ServerProcess,
  position: bigint,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  let last: Readiness = { ok: false };
  while (Date.now() < deadline) {
    last = await readiness(server.url);
    if (
      last.ok &&
      last.readModel !== undefined &&
      last.readModel >= position &&
      last.transparencyLog !== undefined &&
      last.transparencyLog >= position
    ) {
      return;
    }
    await sleep(50);
  }
  throw new Error(
    `not caught up with #${position} within ${ms} ms: read model #${last.readModel}, log #${last.transparencyLog}`,
  );
}

/** SIGKILL, and resolves once the process is gone. */
export async function killHard(server: ServerProcess): Promise<Exit> {
  server.child.kill('SIGKILL');
  return server.exited;
}

/** SIGTERM: the server stops accepting, finishes what is in hand, closes its stores. */
export async function stop(server: ServerProcess): Promise<Exit> {
  server.child.kill('SIGTERM');
  return server.exited;
}

/** For afterAll: SIGKILLs every child still running, and waits for each to be gone. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** One GraphQL request; a network failure (the server killed mid-request) rejects. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The data of a response that must have succeeded; otherwise throws, showing the errors. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors !== undefined || response.data == null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
  return response.data;
}

/** The code of a response's first error, if it has one. */
export function codeOf(response: GraphQLResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
