/**
 * npm run bench:store — appends/s of the sqlite event store at WAL + synchronous=FULL with 1, 16
 * and 64 concurrent writers, next to raw better-sqlite3 inserts into the same table with the same
 * pragmas: one transaction per row, and batched transactions, measured in the same run.
 *
 * Each figure is the median of ROUNDS runs of SECONDS seconds. Options (environment):
 *   BENCH_SECONDS (default 3), BENCH_ROUNDS (default 3), BENCH_DIR (default: a temp dir).
 * Writes test/bench/results/store.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Row {
  name: string;
  runs: number[];
  median: number;
}

async function main() {
  const cases: Array<[string, () => Promise<number> | number]> = [
    ['raw: 1 row per transaction', () => rawInserts(1)],
    ['raw: 64 rows per transaction', () => rawInserts(64)],
    ['raw: 1,000 rows per transaction', () => rawInserts(1000)],
    ['store: 1 writer', () => storeAppends(1)],
    ['store: 16 writers', () => storeAppends(16)],
    ['store: 64 writers', () => storeAppends(64)],
  ];
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
  const target = byName('store: 64 writers') / baseline;
  console.log(
    `\n64 writers / raw batched (64 rows per transaction): ${target.toFixed(2)} (target ≥ 0.80)`,
  );
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'store.json'),
    JSON.stringify(
      { seconds: SECONDS, rounds: ROUNDS, node: process.version, rows, ratio64: target },
      null,
      2,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

void main();
