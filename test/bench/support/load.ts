/**
 * Closed-loop load with autocannon (a bench-only dependency: npm --prefix test/bench install):
 * `connections` connections, each sending its next request when the last is answered, every
 * request built afresh by `next()` (a different villager's token and body each time). Latencies
 * are kept per response, to the microsecond, for exact percentiles; GraphQL errors (an `errors`
 * member in a 200 answer) are counted by their code beside non-2xx answers and socket errors.
 */
import { createRequire } from 'node:module';

export interface GraphQLRequest {
  readonly token?: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** Stop after this many requests… */
  readonly amount?: number;
  /** …or after this many seconds. */
  readonly durationSeconds?: number;
  readonly next: () => GraphQLRequest;
  /** Looks at a 200 answer's parsed body; returns a problem to count, or undefined. */
  readonly check?: (body: GraphQLBody) => string | undefined;
}

export interface GraphQLBody {
  readonly data?: unknown;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
}

export interface LoadResult {
  readonly connections: number;
  readonly requests: number;
  readonly ok: number;
  readonly seconds: number;
  /** Answers without a problem, per second. */
  readonly perSecond: number;
  readonly latencyMs: {
    readonly mean: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p999: number;
    readonly max: number;
  };
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  /** Problems by kind: GraphQL error codes, or what `check` reported. */
  readonly problems: Readonly<Record<string, number>>;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: object) => void;
}

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

interface AutocannonInstance extends Promise<AutocannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, status: number, bytes: number, ms: number) => void,
  ): void;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

let loaded: Autocannon | undefined;

/** autocannon from test/bench/node_modules, with a clear message when it is not installed. */
export function autocannon(): Autocannon {
  if (loaded) return loaded;
  try {
    loaded = createRequire(__filename)('autocannon') as Autocannon;
  } catch (error) {
    throw new Error('autocannon is not installed: npm --prefix test/bench install', {
      cause: error,
    });
  }
  return loaded;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);

const round = (ms: number) => Math.round(ms * 100) / 100;

export async function load(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const problems: Record<string, number> = {};
  const count = (problem: string) => {
    problems[problem] = (problems[problem] ?? 0) + 1;
  };
  let answered = 0;
  let bad = 0;
  const request: AutocannonRequest = {
    method: 'POST',
    path: '/graphql',
    setupRequest: (req) => {
      const { token, query, variables } = options.next();
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      };
    },
    onResponse: (status, text) => {
      answered++;
      if (status !== 200) {
        bad++;
        return;
      }
      let body: GraphQLBody;
      try {
        body = JSON.parse(text) as GraphQLBody;
      } catch {
        bad++;
        count('UNPARSABLE');
        return;
      }
      if (body.errors !== undefined && body.errors.length > 0) {
        bad++;
        for (const error of body.errors) count(error.extensions?.code ?? error.message);
        return;
      }
      const problem = options.check?.(body);
      if (problem !== undefined) {
        bad++;
        count(problem);
      }
    },
  };
  const instance = autocannon()({
    url: options.url,
    connections: options.connections,
    ...(options.amount === undefined
      ? { duration: options.durationSeconds ?? 10 }
      : { amount: options.amount }),
    timeout: 30,
    requests: [request],
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    connections: options.connections,
    requests: answered,
    ok: answered - bad,
    seconds: result.duration,
    perSecond: Math.round((answered - bad) / result.duration),
    latencyMs: {
      mean: round(mean),
      p50: round(percentile(sorted, 0.5)),
      p90: round(percentile(sorted, 0.9)),
      p99: round(percentile(sorted, 0.99)),
      p999: round(percentile(sorted, 0.999)),
      max: round(sorted.at(-1) ?? Number.NaN),
    },
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    problems,
  };
}
