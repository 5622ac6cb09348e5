/**
 * The built server (dist/src/main.js) as a child process, as `npm start` runs it: production
 * settings, on a DATA_DIR of the benchmark's, with the JWT secret the benchmark signs with. tsx
 * emits no decorator metadata, so Nest is never booted in the benchmark's own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const MAIN = join(__dirname, '..', '..', '..', 'dist', 'src', 'main.js');

export interface ServerOptions {
  readonly dataDir: string;
  readonly jwtSecret: string;
  /** Extra environment (e.g. MUTATIONS_PER_MINUTE). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node flags before the script, e.g. ['--cpu-prof', '--cpu-prof-dir', dir]. */
  readonly nodeArgs?: readonly string[];
}

export interface Ready {
  readonly status: string;
  readonly readModel?: bigint;
  readonly transparencyLog?: bigint;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class ServerChild {
  private output: string[] = [];
  private exit: Promise<number | null>;
  private exited = false;
  /** performance.now() when the process was spawned: CPU profiles count from about then. */
  readonly spawnedAt = performance.now();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output = this.output.slice(-100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) =>
      child.on('exit', (code) => {
        this.exited = true;
        resolve(code);
      }),
    );
  }

  static async start(options: ServerOptions): Promise<ServerChild> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx nest build first`);
    const port = await freePort();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: options.dataDir,
        AUTH_JWT_SECRET: options.jwtSecret,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerChild(child, `http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The last lines the server wrote: what to show when it fails. */
  tail(lines = 20): string {
    return this.output.join('').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Polls /ready until it answers 200; returns the projections' positions it reports. */
  async ready(timeoutMs: number): Promise<Ready> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answer = await this.readyOnce();
      if (answer !== undefined) return answer;
      await sleep(100);
    }
    throw new Error(`${this.url} was not ready within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** One look at /ready: undefined when it does not answer 200 (within 5 s). */
  async readyOnce(): Promise<Ready | undefined> {
    if (this.exited) throw new Error(`the server exited:\n${this.tail()}`);
    const answer = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(5000) }).then(
      async (response) => (response.ok ? ((await response.json()) as ReadyBody) : undefined),
      () => undefined,
    );
    if (answer === undefined) return undefined;
    const position = (name: string) => {
      const value = answer.info?.[name]?.position;
      return value === undefined ? undefined : BigInt(value);
    };
    return {
      status: answer.status,
      readModel: position('readModel'),
      transparencyLog: position('transparencyLog'),
    };
  }

  /** Resident set size now and at its peak, in MB (/proc/<pid>/status VmRSS, VmHWM). */
  memory(): { rssMb: number; peakRssMb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  }

  /** CPU time the process (every thread of it) has used, in seconds: /proc/<pid>/stat. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }

  /** Waits until the server uses less than `share` of a core over `windowMs` (work done). */
  async settle(share = 0.05, windowMs = 1000, timeoutMs = 600_000): Promise<number> {
    const started = Date.now();
    let before = this.cpuSeconds();
    while (Date.now() - started < timeoutMs) {
      await sleep(windowMs);
      const after = this.cpuSeconds();
      if ((after - before) / (windowMs / 1000) < share) return Date.now() - started;
      before = after;
    }
    return Date.now() - started;
  }

  /** SIGTERM, as an orchestrator stops it; resolves with the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.exited) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exit;
    clearTimeout(timer);
    return code;
  }
}

interface ReadyBody {
  readonly status: string;
  readonly info?: Record<string, { position?: string }>;
}

/** USER_HZ: 100 on Linux on every architecture Node runs on. */
const CLOCK_TICKS = 100;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
