/**
 * npm run bench:store — appends/s of the sqlite event store at WAL + synchronous=FULL with 1, 16
 * and 64 concurrent writers, next to raw better-sqlite3 inserts into the same table with the same
 * pragmas: one transaction per row, and batched transactions, measured in the same run.
 *
 * When the bench package is installed (npm --prefix test/bench ci), the same appends are also done
 * by @event-driven-io/emmett-sqlite (node-sqlite3): 1, 16 and 64 concurrent writers, one ballot
 * to a new stream each, on a file in the same temp dir, in emmett's own configuration
 * (getSQLiteEventStore({ fileName }): a connection per append, PRAGMA journal_mode = WAL, and
 * node-sqlite3's build defaults: synchronous=FULL, busy_timeout 1000 ms). The durability it ran at
 * is read back through emmett's own connection and printed. Failed appends are counted, not timed
 * as appends; their first cause is printed (emmett logs it, then rethrows a ROLLBACK error).
 * Not measured: emmett's ambient singleton connection (connectionOptions.singleton), where
 * concurrent appends share one transaction and resolve before its COMMIT: not durable when acked.
 *
 * Each figure is the median of ROUNDS runs of SECONDS seconds. Options (environment):
 *   BENCH_SECONDS (default 3), BENCH_ROUNDS (default 3), BENCH_DIR (default: a temp dir).
 * Writes test/bench/results/store.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createSchema, openConnection } from '../../libs/event-store/src/adapters/sqlite/schema';
import { SqliteEventStore } from '../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import type { NewEvent } from '../../libs/event-store/src/event-store';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'cunyi-bench-'));

/** A ballot-sized event: what castBallot appends. */
function ballot(): NewEvent {
  return {
    id: randomUUID(),
    type: 'BallotCast',
    data: { meetingId: randomUUID(), itemId: 'item-1', villagerId: randomUUID(), choice: 'FOR' },
    metadata: {
      actor: { subject: randomUUID(), role: 'VILLAGER', village: 'v-1' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
      channel: 'phone',
    },
  };
}

let fileCounter = 0;
const freshFile = () => join(dir, `bench-${fileCounter++}.db`);

async function storeAppends(writers: number): Promise<number> {
  const store = await SqliteEventStore.open(freshFile());
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        // A new stream each time, as a villager's ballot is: no contention on one stream.
        await store.append(`ballot-${randomUUID()}`, [ballot()], { expectedRevision: 'no_stream' });
        count++;
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await store.close();
  return rate;
}

function rawInserts(rowsPerTransaction: number): number {
  const db = openConnection(freshFile());
  createSchema(db);
  const insert = db.prepare(
    'INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const writeBatch = db.transaction((events: NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    for (const e of events) {
      insert.run(
        e.id,
        `ballot-${randomUUID()}`,
        0,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        recordedAt,
      );
    }
  });
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  while (performance.now() < deadline) {
    writeBatch(Array.from({ length: rowsPerTransaction }, ballot));
    count += rowsPerTransaction;
  }
  const rate = count / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

/** The part of @event-driven-io/emmett-sqlite this bench uses (typed here: it is not installed for tsc). */
interface EmmettConnection {
  querySingle<T>(sql: string): Promise<T | null>;
  close(): void;
}
interface EmmettSqlite {
  getSQLiteEventStore(options: { fileName: string }): {
    appendToStream(
      streamName: string,
      events: Array<{ type: string; data: unknown; metadata?: unknown }>,
      options?: { expectedStreamVersion?: 'STREAM_DOES_NOT_EXIST' },
    ): Promise<unknown>;
    schema: { migrate(): Promise<void> };
  };
  sqliteConnection(options: { fileName: string }): EmmettConnection;
}
interface EmmettDurability {
  journalMode: string;
  synchronous: number;
  busyTimeoutMs: number;
  sqliteVersion: string;
}
type Emmett =
  | { installed: true; version: string; api: EmmettSqlite }
  | { installed: false; reason: string };

const EMMETT = '@event-driven-io/emmett-sqlite';

/**
 * emmett-sqlite from test/bench/node_modules, resolved relative to this file: the bench package is
 * not part of the main install, and the bench runs without it.
 */
async function loadEmmett(): Promise<Emmett> {
  const requireHere = createRequire(__filename);
  let entry: string;
  try {
    entry = requireHere.resolve(EMMETT);
  } catch {
    return { installed: false, reason: 'not installed (npm --prefix test/bench ci)' };
  }
  try {
    const mod = (await import(pathToFileURL(entry).href)) as EmmettSqlite & {
      default?: EmmettSqlite;
    };
    const api = typeof mod.getSQLiteEventStore === 'function' ? mod : (mod.default as EmmettSqlite);
    // dist/index.cjs → the package root; its package.json is not in the package's exports.
    const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'));
    return { installed: true, version: String(pkg.version), api };
  } catch (error) {
    // Installed but not loadable, e.g. node-sqlite3's native build is missing.
    return { installed: false, reason: `cannot load (${(error as Error).message.split('\n')[0]})` };
  }
}

/** Completed and failed emmett appends per writer count (all rounds), and the failures' first causes. */
const emmettOutcomes = new Map<
  number,
  { completed: number; failed: number; causes: Map<string, number> }
>();
let emmettDurability: EmmettDurability | undefined;

async function emmettAppends(emmett: EmmettSqlite, writers: number): Promise<number> {
  const file = freshFile();
  // The file starts in WAL mode, as emmett's first connection would leave it: emmett sends
  // PRAGMA journal_mode = WAL without waiting for it, so on a fresh file it can race emmett's own
  // schema transaction and fail, and node-sqlite3 throws that as an unhandled 'error' event.
  const init = new Database(file);
  init.pragma('journal_mode = WAL');
  init.close();
  const store = emmett.getSQLiteEventStore({ fileName: file });
  await store.schema.migrate();
  const outcomes = emmettOutcomes.get(writers) ?? {
    completed: 0,
    failed: 0,
    causes: new Map<string, number>(),
  };
  emmettOutcomes.set(writers, outcomes);
  const noteCause = (error: unknown) => {
    const cause = String((error as Error | undefined)?.message ?? error).split('\n')[0] as string;
    outcomes.causes.set(cause, (outcomes.causes.get(cause) ?? 0) + 1);
  };
  // emmett's withTransaction console.logs the error it then masks with ROLLBACK's: keep the first
  // cause, and keep the table readable. node-sqlite3 throws errors of statements sent without a
  // callback (emmett's PRAGMA) as uncaught exceptions: note those too, rather than die.
  const log = console.log;
  console.log = noteCause;
  const uncaught = (error: Error) => noteCause(`uncaught: ${error.message}`);
  process.on('uncaughtException', uncaught);
  let count = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (performance.now() < deadline) {
          const e = ballot();
          try {
            await store.appendToStream(
              `ballot-${randomUUID()}`,
              [{ type: e.type, data: e.data, metadata: e.metadata }],
              { expectedStreamVersion: 'STREAM_DOES_NOT_EXIST' },
            );
            count++;
          } catch {
            outcomes.failed++;
          }
        }
      }),
    );
  } finally {
    console.log = log;
    process.off('uncaughtException', uncaught);
  }
  const rate = count / ((performance.now() - started) / 1000);
  outcomes.completed += count;
  emmettDurability ??= await durabilityOfEmmett(emmett, file);
  return rate;
}

/** What emmett's connections run at: asked through emmett's own connection to the same file. */
async function durabilityOfEmmett(emmett: EmmettSqlite, file: string): Promise<EmmettDurability> {
  const connection = emmett.sqliteConnection({ fileName: file });
  try {
    const ask = async (sql: string) =>
      Object.values((await connection.querySingle<Record<string, unknown>>(sql)) ?? {})[0];
    return {
      journalMode: String(await ask('PRAGMA journal_mode')),
      synchronous: Number(await ask('PRAGMA synchronous')),
      busyTimeoutMs: Number(await ask('PRAGMA busy_timeout')),
      sqliteVersion: String(await ask('SELECT sqlite_version()')),
    };
  } finally {
    connection.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Row {
  name: string;
  runs: number[];
  median: number;
}

const WRITERS = [1, 16, 64] as const;
const writersName = (n: number) => `${n} writer${n === 1 ? '' : 's'}`;

async function main() {
  const emmett = await loadEmmett();
  const cases: Array<[string, () => Promise<number> | number]> = [
    ['raw: 1 row per transaction', () => rawInserts(1)],
    ['raw: 64 rows per transaction', () => rawInserts(64)],
    ['raw: 1,000 rows per transaction', () => rawInserts(1000)],
    ...WRITERS.map((n): [string, () => Promise<number>] => [
      `store: ${writersName(n)}`,
      () => storeAppends(n),
    ]),
  ];
  if (emmett.installed) {
    const { api } = emmett;
    for (const n of WRITERS)
      cases.push([`emmett-sqlite: ${writersName(n)}`, () => emmettAppends(api, n)]);
  }
  const rows: Row[] = cases.map(([name]) => ({ name, runs: [], median: 0 }));
  // Rounds interleave the cases, so a noisy neighbour hurts them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, run]] of cases.entries()) (rows[i] as Row).runs.push(await run());
  }
  for (const row of rows) row.median = median(row.runs);
  const byName = (name: string) => (rows.find((r) => r.name === name) as Row).median;
  const baseline = byName('raw: 64 rows per transaction');
  console.log(`\nappends/s, median of ${ROUNDS} × ${SECONDS}s, WAL + synchronous=FULL\n`);
  console.log('case                               appends/s   × raw 64/tx   × raw 1/tx');
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(34)} ${row.median.toFixed(0).padStart(9)}   ${(row.median / baseline).toFixed(2).padStart(11)}   ${(row.median / byName('raw: 1 row per transaction')).toFixed(2).padStart(9)}`,
    );
  }
  if (!emmett.installed) console.log(`emmett-sqlite: ${emmett.reason}`);
  const target = byName('store: 64 writers') / baseline;
  console.log(
    `\n64 writers / raw batched (64 rows per transaction): ${target.toFixed(2)} (target ≥ 0.80)`,
  );
  const versusEmmett: Record<string, number | null> = {};
  let bestEmmett: number | undefined;
  if (emmett.installed) {
    const d = emmettDurability;
    console.log(
      `\nemmett-sqlite ${emmett.version}: ${d ? `journal_mode=${d.journalMode}, synchronous=${d.synchronous}${d.synchronous === 2 ? ' (FULL)' : ''}, busy_timeout=${d.busyTimeoutMs} ms, SQLite ${d.sqliteVersion}` : 'durability not read'}; a connection per append`,
    );
    if (d && (d.journalMode !== 'wal' || d.synchronous !== 2)) {
      console.log(
        '  NOT the store’s durability (WAL + synchronous=FULL): the ratios below are not like for like',
      );
    }
    const ratioText = (ratio: number | null | undefined) =>
      ratio === null || ratio === undefined
        ? '∞'
        : ratio >= 100
          ? ratio.toFixed(0)
          : ratio.toFixed(2);
    console.log(
      `store / emmett-sqlite    ratio   emmett appends in ${ROUNDS} × ${SECONDS}s: completed, failed (first cause)`,
    );
    for (const n of WRITERS) {
      const theirs = byName(`emmett-sqlite: ${writersName(n)}`);
      const ratio = theirs > 0 ? byName(`store: ${writersName(n)}`) / theirs : null;
      versusEmmett[n] = ratio;
      const o = emmettOutcomes.get(n);
      const causes = [...(o?.causes ?? [])].map(([cause, k]) => `${k}× ${cause}`).join('; ');
      console.log(
        `${writersName(n).padEnd(22)} ${ratioText(ratio).padStart(7)}   ${String(o?.completed ?? 0).padStart(6)}, ${String(o?.failed ?? 0).padStart(4)}${causes ? ` (${causes})` : ''}`,
      );
    }
    console.log(
      `64 writers, store / emmett-sqlite: ${ratioText(versusEmmett[64])} (target ≥ 2.00)`,
    );
    // emmett's best at any writer count: what an application gets by queueing its appends itself.
    const best = Math.max(...WRITERS.map((n) => byName(`emmett-sqlite: ${writersName(n)}`)));
    bestEmmett = best;
    console.log(
      `64 writers, store / emmett-sqlite at its best writer count (${best.toFixed(0)} appends/s): ${ratioText(best > 0 ? byName('store: 64 writers') / best : null)}`,
    );
  }
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'store.json'),
    JSON.stringify(
      {
        seconds: SECONDS,
        rounds: ROUNDS,
        node: process.version,
        rows,
        ratio64: target,
        emmett: emmett.installed
          ? {
              version: emmett.version,
              durability: emmettDurability ?? null,
              appends: Object.fromEntries(
                [...emmettOutcomes].map(([n, o]) => [
                  n,
                  {
                    completed: o.completed,
                    failed: o.failed,
                    causes: Object.fromEntries(o.causes),
                  },
                ]),
              ),
              storeOverEmmett: versusEmmett,
              bestEmmett: bestEmmett ?? null,
            }
          : { installed: false, reason: emmett.reason },
      },
      null,
      2,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

void main();
