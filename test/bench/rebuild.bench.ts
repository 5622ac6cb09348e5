/**
 * npx tsx test/bench/rebuild.bench.ts — how fast the read models are rebuilt from the store.
 *
 * Fills a fresh sqlite event store with BENCH_EVENTS events of realistic village life (villages,
 * households, villagers, a villagers' assembly each with check-ins and ballots, proposals; decided
 * by the domain's deciders: support/synthetic-log.ts), then measures, in the same run:
 *   - raw readAll: iterating store.readAll() and counting (what any replay pays for reading);
 *   - rebuild: `new Projections(store, readDb, PROJECTORS).rebuild()` into a read database opened
 *     as the server opens it (openReadDatabase), every read model;
 *   - transparency log from scratch: a Projections over openLogDatabase with the log projector.
 * Each is reported in events/s and as a fraction of raw readAll. Target: rebuild ≥ 100,000/s.
 *
 * Options (environment): BENCH_EVENTS (default 1,000,000), BENCH_VILLAGERS (villagers per village,
 * default 2,000), BENCH_DIR (default: a temp dir), BENCH_KEEP=1 keeps the files,
 * BENCH_PROFILE_DIR: write a CPU profile of each measured phase there (support/phase-profile.ts).
 * Writes test/bench/results/rebuild.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import { PROJECTORS } from '../../src/read-model/all-projectors';
import { Projections } from '../../src/read-model/projections';
import { openReadDatabase, READ_MODEL_FILE } from '../../src/read-model/read-database';
import { transparencyLogProjector } from '../../src/transparency/log.projector';
import { LOG_FILE, openLogDatabase } from '../../src/transparency/log-database';
import { profiled } from './support/phase-profile';
import { appendVillages, VillageLog } from './support/synthetic-log';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const VILLAGERS = Number(process.env.BENCH_VILLAGERS ?? 2000);
const TARGET = 100_000;
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'cunyi-rebuild-'));

const seconds = (since: number) => (performance.now() - since) / 1000;
const mb = (file: string) => statSync(file).size / 1e6;

interface Row {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpuSeconds: number;
  readonly eventsPerCpuSecond: number;
  /** The 1-minute load average before and after. */
  readonly loadAverage: { readonly before: number; readonly after: number };
}

async function timed(name: string, run: () => Promise<number>): Promise<Row> {
  const loadBefore = loadavg()[0] as number;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const events = await profiled(name, run);
  const s = seconds(started);
  const cpu = process.cpuUsage(cpuStarted);
  // CPU time of this process (user + system, all its threads): less sensitive than wall time to
  // other work on the machine, which shows as wall time the process did not get to run.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Other work on the machine slows every row: the load is recorded beside each figure.
  const loadAverage = { before: loadBefore, after: loadavg()[0] as number };
  const row = {
    name,
    events,
    seconds: s,
    eventsPerSecond: events / s,
    cpuSeconds,
    eventsPerCpuSecond: events / cpuSeconds,
    loadAverage,
  };
  console.log(
    `  ${name}: ${events} events in ${s.toFixed(1)} s (load average ${loadAverage.before.toFixed(1)} → ${loadAverage.after.toFixed(1)} on ${cpus().length} cores)`,
  );
  return row;
}

async function main() {
  const runStarted = performance.now();
  const storeFile = join(dir, 'events.db');
  const seeding = await SqliteEventStore.open(storeFile);

  console.log(`seeding ${EVENTS} events (${VILLAGERS} villagers a village) into ${storeFile}`);
  const seedStarted = performance.now();
  const log = new VillageLog({ villagers: VILLAGERS, perHousehold: 4 });
  const villages = await appendVillages(seeding, log, 0, EVENTS, new Map());
  // Closed and opened again: the store at rest (its WAL checkpointed), as a rebuild finds it.
  await seeding.close();
  const store = await SqliteEventStore.open(storeFile);
  const seed = {
    events: EVENTS,
    villages,
    eventsPerVillage: log.eventsPerVillage,
    seconds: seconds(seedStarted),
  };
  console.log(
    `  ${villages} villages of ${log.eventsPerVillage} events, appended in ${seed.seconds.toFixed(1)} s (${(EVENTS / seed.seconds).toFixed(0)} events/s); store ${mb(storeFile).toFixed(0)} MB`,
  );

  const readAll = async () => {
    let count = 0;
    for await (const _ of store.readAll()) count++;
    return count;
  };

  console.log('measuring');
  const rows: Row[] = [];
  rows.push(await timed('raw readAll', readAll));

  const readDb = openReadDatabase({ dataDir: dir });
  const readModel = new Projections(store, readDb, PROJECTORS);
  rows.push(await timed('rebuild: all read models', () => readModel.rebuild()));

  const logDb = openLogDatabase({ eventStore: 'sqlite', dataDir: dir });
  const logProjections = new Projections(store, logDb, [transparencyLogProjector], {
    name: transparencyLogProjector.name,
  });
  rows.push(await timed('transparency log from scratch', () => logProjections.rebuild()));

  // Again at the end: the page cache is as warm for it as for the projections.
  rows.push(await timed('raw readAll (again)', readAll));

  const count = (db: typeof readDb, table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const readModelRows = Object.fromEntries(
    [
      'villages',
      'households',
      'villagers',
      'meetings',
      'attendance',
      'ballots',
      'proposals',
      'audit_trail',
    ].map((table) => [table, count(readDb, table)]),
  );
  const logLeaves = count(logDb, 'log_leaves');
  const files = {
    storeMB: mb(storeFile),
    readModelMB: mb(join(dir, READ_MODEL_FILE)),
    logMB: mb(join(dir, LOG_FILE)),
  };
  readDb.close();
  logDb.close();
  await store.close();

  const raw = Math.max(
    ...rows.filter((r) => r.name.startsWith('raw')).map((r) => r.eventsPerSecond),
  );
  console.log(
    `\n${EVENTS} events, ${villages} villages; rows in the read model: ${JSON.stringify(readModelRows)}`,
  );
  console.log(`transparency log leaves: ${logLeaves}\n`);
  console.log(`${'case'.padEnd(48)}   events/s    seconds   × raw readAll   events/CPU-s   CPU-s`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(48)} ${row.eventsPerSecond.toFixed(0).padStart(10)}   ${row.seconds.toFixed(1).padStart(8)}   ${(row.eventsPerSecond / raw).toFixed(3).padStart(13)}   ${row.eventsPerCpuSecond.toFixed(0).padStart(12)}   ${row.cpuSeconds.toFixed(1).padStart(5)}`,
    );
  }
  const rebuild = rows.find((r) => r.name.startsWith('rebuild')) as Row;
  const met = rebuild.eventsPerSecond >= TARGET;
  console.log(
    `\nrebuild: ${rebuild.eventsPerSecond.toFixed(0)} events/s (target ≥ ${TARGET}): ${met ? 'met' : 'MISSED'}`,
  );
  const total = seconds(runStarted);
  console.log(`whole run: ${total.toFixed(0)} s`);

  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'rebuild.json'),
    JSON.stringify(
      {
        events: EVENTS,
        villagersPerVillage: VILLAGERS,
        node: process.version,
        cores: cpus().length,
        seed,
        rows,
        rawReadAllEventsPerSecond: raw,
        target: TARGET,
        targetMet: met,
        readModelRows,
        logLeaves,
        files,
        runSeconds: total,
      },
      null,
      2,
    ),
  );
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

void main();
