/**
 * npm run bench — every benchmark in one run, one after another (never two at once: each is
 * measured against a baseline taken in the same process, on an otherwise quiet machine), then the
 * headline figures against issue 6's targets in one table, written to results/summary.json.
 *
 *   store    appends at 1 / 16 / 64 writers vs raw better-sqlite3 and emmett-sqlite (store.bench)
 *   rebuild  every read model and the transparency log from 1,000,000 events vs raw readAll
 *   growth   append and castBallot latency at 10k, 100k, 1M and 5M events in the store
 *   county   castBallot over HTTP at 64 connections across 200 meetings of 2,000 vs a trivial
 *            query; the tally query's p99; RSS after 100 villages × 2,000 × 10 meetings
 *
 * BENCH_SMOKE=1 runs each at a tiny size (a minute or two: that they run, not what they measure).
 * BENCH_ONLY=store,rebuild runs some. The sizes of each bench stay overridable by its own
 * variables (see the head of each file). Bench-only dependencies (autocannon, emmett-sqlite) live
 * in test/bench/package.json and are installed here on first use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const SMOKE = process.env.BENCH_SMOKE === '1';
const ONLY = process.env.BENCH_ONLY?.split(',');
const results = join(__dirname, 'results');

interface Bench {
  readonly name: string;
  readonly file: string;
  /** Defaults for this run; the caller's environment wins. */
  readonly env: Record<string, string>;
}

const BENCHES: readonly Bench[] = [
  {
    name: 'store',
    file: 'store.bench.ts',
    env: SMOKE ? { BENCH_SECONDS: '0.5', BENCH_ROUNDS: '1' } : { BENCH_SECONDS: '3' },
  },
  {
    name: 'rebuild',
    file: 'rebuild.bench.ts',
    env: { BENCH_EVENTS: SMOKE ? '20000' : '1000000' },
  },
  {
    name: 'growth',
    file: 'growth.bench.ts',
    env: SMOKE ? { BENCH_SIZES: '2000,10000', BENCH_OPS: '50', BENCH_MEMBERS: '200' } : {},
  },
  {
    name: 'county',
    file: 'county.bench.ts',
    // The server starts on read models built offline (Projections.rebuild), as after
    // `projections rebuild`: the rebuild bench measures that; here it saves minutes.
    env: {
      BENCH_PROJECT: 'offline',
      ...(SMOKE
        ? {
            BENCH_VILLAGES: '4',
            BENCH_MEMBERS: '200',
            BENCH_BALLOTS: '600',
            BENCH_DURATION: '2',
            BENCH_MEMORY_MEETINGS: '2',
          }
        : {}),
    },
  },
];

function installBenchDependencies(): void {
  if (existsSync(join(__dirname, 'node_modules', 'autocannon', 'package.json'))) return;
  console.log('installing test/bench dependencies (npm ci; sqlite3 builds from source)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: __dirname, stdio: 'inherit' });
}

function run(bench: Bench): { seconds: number; status: number | null } {
  const started = performance.now();
  console.log(`\n=== ${bench.name} (load average ${loadavg()[0]?.toFixed(2)}) ===`);
  const child = spawnSync('npx', ['tsx', join(__dirname, bench.file)], {
    stdio: 'inherit',
    env: { ...bench.env, ...process.env },
  });
  return { seconds: (performance.now() - started) / 1000, status: child.status };
}

// ---------------------------------------------------------------------------------------------
// The headline table, from what each bench wrote.

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly met: string;
}

const read = <T>(name: string): T | undefined => {
  const file = join(results, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
};
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;
const times = (n: number) => `${n.toFixed(2)}×`;
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

interface StoreResult {
  rows: { name: string; median: number }[];
  emmett?: { bestEmmett: number; storeOverEmmett: Record<string, number> };
}

function storeRows(store: StoreResult): Row[] {
  const median = (name: string) => store.rows.find((row) => row.name === name)?.median ?? NaN;
  const store64 = median('store: 64 writers');
  const raw64 = median('raw: 64 rows per transaction');
  const raw1000 = median('raw: 1,000 rows per transaction');
  const rows: Row[] = [
    {
      figure: 'appends, 64 writers (WAL+FULL)',
      value: perSecond(store64),
      baseline: `raw batched, 64 rows/tx: ${perSecond(raw64)}`,
      ratio: times(store64 / raw64),
      target: '≥ 0.8×',
      met: yes(store64 / raw64 >= 0.8),
    },
    {
      figure: 'appends, 64 writers vs 1,000 rows/tx',
      value: perSecond(store64),
      baseline: `raw batched, 1,000 rows/tx: ${perSecond(raw1000)}`,
      ratio: times(store64 / raw1000),
      target: '',
      met: '',
    },
  ];
  if (store.emmett) {
    rows.push({
      figure: 'appends, 64 writers vs emmett-sqlite',
      value: perSecond(store64),
      baseline: `emmett-sqlite at its best: ${perSecond(store.emmett.bestEmmett)}`,
      ratio: times(store64 / store.emmett.bestEmmett),
      target: '≥ 2×',
      met: yes(store64 / store.emmett.bestEmmett >= 2),
    });
  }
  return rows;
}

interface RebuildResult {
  events: number;
  rows: { name: string; eventsPerSecond: number }[];
  rawReadAllEventsPerSecond: number;
}

function rebuildRows(rebuild: RebuildResult): Row[] {
  const raw = rebuild.rawReadAllEventsPerSecond;
  return rebuild.rows
    .filter((row) => !row.name.startsWith('raw'))
    .map((row) => ({
      figure: `${row.name} (${rebuild.events.toLocaleString('en')} events)`,
      value: perSecond(row.eventsPerSecond),
      baseline: `raw readAll: ${perSecond(raw)}`,
      ratio: times(row.eventsPerSecond / raw),
      target: row.name.startsWith('rebuild') ? '≥ 100,000/s' : '',
      met: row.name.startsWith('rebuild') ? yes(row.eventsPerSecond >= 100_000) : '',
    }));
}

interface Latency {
  p50: number;
  p99: number;
}
interface GrowthResult {
  steps: { size: number; append: Latency; castBallot: Latency }[];
}

/** "Flat": at every size, p50 within 1.5× of the smallest size's (p99 is shown, not judged). */
function growthRows(growth: GrowthResult): Row[] {
  const [first] = growth.steps;
  if (!first) return [];
  return (['append', 'castBallot'] as const).map((kind) => {
    const ratios = growth.steps.map((step) => step[kind].p50 / first[kind].p50);
    return {
      figure: `${kind} p50 / p99 as the store grows`,
      value: growth.steps
        .map(
          (step) =>
            `${step.size.toLocaleString('en')}: ${step[kind].p50.toFixed(2)} / ${step[kind].p99.toFixed(2)} ms`,
        )
        .join('; '),
      baseline: `at ${first.size.toLocaleString('en')} events`,
      ratio: `p50 ≤ ${times(Math.max(...ratios))}`,
      target: 'flat (p50 ≤ 1.5×)',
      met: yes(Math.max(...ratios) <= 1.5),
    };
  });
}

interface CountyResult {
  table: Row[];
}

function countyRows(county: CountyResult): Row[] {
  return county.table;
}

function printTable(rows: readonly Row[]): void {
  const columns = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'] as const;
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ');
  console.log(line(columns));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

function main(): void {
  installBenchDependencies();
  const chosen = BENCHES.filter((bench) => ONLY === undefined || ONLY.includes(bench.name));
  const runs: Record<string, { seconds: number; status: number | null }> = {};
  for (const bench of chosen) runs[bench.name] = run(bench);

  const ran = (name: string) => runs[name]?.status === 0;
  const rows: Row[] = [];
  const store = ran('store') ? read<StoreResult>('store') : undefined;
  if (store) rows.push(...storeRows(store));
  const rebuild = ran('rebuild') ? read<RebuildResult>('rebuild') : undefined;
  if (rebuild) rows.push(...rebuildRows(rebuild));
  const growth = ran('growth') ? read<GrowthResult>('growth') : undefined;
  if (growth) rows.push(...growthRows(growth));
  const county = ran('county') ? read<CountyResult>('county') : undefined;
  if (county) rows.push(...countyRows(county));

  console.log(
    `\n=== summary (${SMOKE ? 'smoke sizes' : 'full sizes'}, ${cpus().length} cores, node ${process.version}) ===`,
  );
  printTable(rows);
  const failed = Object.entries(runs).filter(([, r]) => r.status !== 0);
  for (const [name, r] of failed) console.log(`${name}: exited with ${r.status}`);
  writeFileSync(
    join(results, 'summary.json'),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), smoke: SMOKE, runs, rows }, null, 2)}\n`,
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
