/**
 * The built server as a process, the way `npm start` and the Docker image run it: configuration
 * errors stop start-up with one line, production logs are JSON, SIGTERM shuts down cleanly.
 * Runs dist/ (npm test builds it first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilReady(url: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${ms} ms`);
}

describe('start-up refuses bad configuration with one line naming the variable', () => {
  it.each([
    [{ PORT: 'abc' }, /^cunyi: PORT="abc" is invalid: PORT accepts an integer from 1 to 65535$/],
    [
      { EVENT_STORE: 'postgres' },
      /^cunyi: EVENT_STORE="postgres" is invalid: EVENT_STORE accepts sqlite \| eventstoredb \| memory$/,
    ],
    [
      { EVENT_STORE: 'eventstoredb' },
      /^cunyi: EVENTSTORE_CONNECTION_STRING="" is invalid: .*required when EVENT_STORE=eventstoredb\)$/,
    ],
    [
      { LOG_FORMAT: 'xml' },
      /^cunyi: LOG_FORMAT="xml" is invalid: LOG_FORMAT accepts json \| pretty$/,
    ],
  ])('%j', async (env, line) => {
    const { code, stderr, stdout } = await start(env).exited;
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(line);
    expect(stdout).toBe('');
  });
});

describe('a production server', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunyi-process-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('logs JSON lines and, on SIGTERM, stops and closes the store cleanly', async () => {
    const port = await freePort();
    const { child, exited } = start({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
    });
    try {
      await waitUntilReady(`http://127.0.0.1:${port}`);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    child.kill('SIGTERM');
    const { code, signal, stdout } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });

    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.every((line) => typeof line.message === 'string' && line.level)).toBe(true);
    const messages = lines.map((line) => line.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`http://localhost:${port}/graphql on the sqlite event store`),
        'SIGTERM: shutting down',
        'stopped',
      ]),
    );

    // Closed cleanly: the last connection to close checkpointed the WAL into the database file
    // and removed it, which SQLite does only when every connection was closed.
    expect(existsSync(join(dataDir, 'events.db-wal'))).toBe(false);
    const db = new Database(join(dataDir, 'events.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 60_000);
});
