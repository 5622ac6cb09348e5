import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemoryEventStore,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '@cunyi/event-store';
import { newEvent } from '@cunyi/event-store/event-store.contract';
import type { Database } from 'better-sqlite3';
import { ProjectionFailed, Projections } from './projections';
import type { Projector } from './projector';
import { openReadDatabase, READ_MODEL_FILE } from './read-database';

/** Counts events per stream: exact counts show that no event was applied twice or skipped. */
const streamCounts: Projector = {
  name: 'stream-counts',
  schema: `CREATE TABLE IF NOT EXISTS stream_counts (
    stream TEXT PRIMARY KEY,
    events INTEGER NOT NULL
  )`,
  tables: ['stream_counts'],
  apply(db, event) {
    db.prepare(
      `INSERT INTO stream_counts (stream, events) VALUES (?, 1)
       ON CONFLICT (stream) DO UPDATE SET events = events + 1`,
    ).run(event.stream);
  },
};

/** Runs after streamCounts, so its failure must also take back the count already written. */
function failingOn(type: string): Projector {
  return {
    name: 'failing',
    schema: '',
    tables: [],
    apply(_db, event) {
      if (event.type === type) throw new Error(`cannot project ${type}`);
    },
  };
}

function countsIn(db: Database): Record<string, number> {
  const rows = db.prepare('SELECT stream, events FROM stream_counts ORDER BY stream').all() as {
    stream: string;
    events: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.stream, row.events]));
}

function checkpointIn(db: Database, name = 'projections'): string | undefined {
  const row = db.prepare('SELECT position FROM checkpoint WHERE name = ?').get(name) as
    | { position: string }
    | undefined;
  return row?.position;
}

async function append(store: MemoryEventStore, stream: string, ...types: string[]) {
  return store.append(
    stream,
    types.map((type) => newEvent(type)),
    { expectedRevision: 'any' },
  );
}

/** Holds subscriptions back until released, so a test can act while events are still pending. */
class GatedStore extends MemoryEventStore {
  release: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });

  override subscribe(options?: SubscribeOptions): Subscription {
    const subscription = super.subscribe(options);
    const next = subscription.next.bind(subscription);
    subscription.next = async () => {
      await this.gate;
      return next();
    };
    return subscription;
  }
}

let dir: string;
let store: MemoryEventStore;
const running: Projections[] = [];
const open: Database[] = [];

function memoryDatabase(): Database {
  const db = openReadDatabase('memory');
  open.push(db);
  return db;
}

function fileDatabase(): Database {
  const db = openReadDatabase({ dataDir: dir });
  open.push(db);
  return db;
}

function projections(
  db: Database,
  projectors: readonly Projector[] = [streamCounts],
  options = {},
) {
  const created = new Projections(store, db, projectors, options);
  running.push(created);
  return created;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cunyi-read-model-'));
  store = new MemoryEventStore();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((created) => created.stop()));
  await store.close();
  for (const db of open.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

describe('openReadDatabase', () => {
  it('opens <dataDir>/read-model.db, creating the directory, with the read-model pragmas', () => {
    const dataDir = join(dir, 'nested', 'data');
    const db = openReadDatabase({ dataDir });
    open.push(db);
    expect(db.name).toBe(join(dataDir, READ_MODEL_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.prepare('SELECT name, position FROM checkpoint').all()).toEqual([]);
  });

  it('opens an in-memory database with the checkpoint table', () => {
    const db = memoryDatabase();
    expect(db.memory).toBe(true);
    expect(db.prepare('SELECT name, position FROM checkpoint').all()).toEqual([]);
  });
});

describe('Projections', () => {
  it('moves rows and checkpoint together', async () => {
    const db = fileDatabase();
    const projection = projections(db);
    const seen: Array<{ position: bigint; checkpoint?: string; total: number }> = [];
    projection.onApplied((event) => {
      const total = Object.values(countsIn(db)).reduce((sum, n) => sum + n, 0);
      seen.push({ position: event.position, checkpoint: checkpointIn(db), total });
    });
    await projection.start();
    await append(store, 'a', 'One', 'Two');
    await append(store, 'b', 'Three');
    await projection.catchUp();

    // Each event is told of once its rows are committed; the checkpoint is always the last
    // event whose rows are in, never ahead of them or behind.
    expect(seen.map(({ position }) => position)).toEqual([1n, 2n, 3n]);
    for (const { position, checkpoint, total } of seen) {
      expect(BigInt(checkpoint ?? 0)).toBeGreaterThanOrEqual(position);
      expect(String(total)).toBe(checkpoint);
    }
    expect(countsIn(db)).toEqual({ a: 2, b: 1 });
    expect(projection.position).toBe(3n);
  });

  it('commits the events already at hand together: 1,200 events waiting, a handful of commits', async () => {
    const db = fileDatabase();
    const projection = projections(db);
    for (let i = 0; i < 12; i++) {
      await append(store, `s${i}`, ...Array.from({ length: 100 }, () => 'Counted'));
    }
    const checkpoints = new Set<string | undefined>();
    projection.onApplied(() => checkpoints.add(checkpointIn(db)));
    await projection.start();
    await projection.catchUp();
    expect(projection.position).toBe(1200n);
    // Batches of at most 500: at least 3 commits, far fewer than one per event.
    expect(checkpoints.size).toBeGreaterThanOrEqual(3);
    expect(checkpoints.size).toBeLessThan(20);
  });

  it('resumes from its checkpoint after a restart without applying anything twice', async () => {
    const first = projections(fileDatabase());
    await first.start();
    await append(store, 'a', 'One', 'Two', 'Three');
    await first.catchUp();
    await first.stop();
    await append(store, 'a', 'Four');
    await append(store, 'b', 'Five');

    const db = fileDatabase();
    const second = projections(db);
    expect(second.position).toBe(3n);
    const applied: bigint[] = [];
    second.onApplied((event) => applied.push(event.position));
    await second.start();
    await second.catchUp();

    expect(applied).toEqual([4n, 5n]);
    expect(countsIn(db)).toEqual({ a: 4, b: 1 });
    expect(checkpointIn(db)).toBe('5');
  });

  it('can be started again after stop(), and stop() is idempotent', async () => {
    const db = memoryDatabase();
    const projection = projections(db);
    await projection.start();
    await append(store, 'a', 'One');
    await projection.catchUp();
    await Promise.all([projection.stop(), projection.stop()]);
    await projection.stop();
    await append(store, 'a', 'Two');
    await projection.start();
    await projection.catchUp();
    expect(countsIn(db)).toEqual({ a: 2 });
  });

  it('refuses to start twice', async () => {
    const projection = projections(memoryDatabase());
    await projection.start();
    await expect(projection.start()).rejects.toThrow(/cannot start/);
  });

  it('waitFor resolves true once an append reaches the target, false on timeout', async () => {
    const projection = projections(memoryDatabase());
    await projection.start();
    const waiting = projection.waitFor(2n, 5000);
    const { position } = await append(store, 'a', 'One', 'Two');
    expect(position).toBe(2n);
    await expect(waiting).resolves.toBe(true);
    await expect(projection.waitFor(1n, 0)).resolves.toBe(true);
    await expect(projection.waitFor(1_000n, 50)).resolves.toBe(false);
  });

  it('tells onApplied listeners of each event in order; a throwing listener changes nothing', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const projection = projections(memoryDatabase());
    const received: string[] = [];
    projection.onApplied(() => {
      throw new Error('listener bug');
    });
    projection.onApplied((event) => received.push(`${event.position}:${event.type}`));
    const unsubscribed = jest.fn();
    const unsubscribe = projection.onApplied(unsubscribed);
    unsubscribe();
    await projection.start();
    await append(store, 'a', 'One', 'Two');
    await append(store, 'b', 'Three');
    await projection.catchUp();

    expect(received).toEqual(['1:One', '2:Two', '3:Three']);
    expect(projection.position).toBe(3n);
    expect(unsubscribed).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(3);
  });

  it('stops on an event a projector cannot apply, leaving no rows of it behind', async () => {
    const db = memoryDatabase();
    let reportFailure: (failure: { error: unknown; event: StoredEvent }) => void = () => {};
    const failed = new Promise<{ error: unknown; event: StoredEvent }>((resolve) => {
      reportFailure = resolve;
    });
    const onError = jest.fn((error: unknown, event: StoredEvent) =>
      reportFailure({ error, event }),
    );
    const projection = projections(db, [streamCounts, failingOn('Poison')], { onError });
    await append(store, 'a', 'One');
    await append(store, 'b', 'Two');
    await append(store, 'a', 'Poison', 'After');
    await projection.start();

    const { error, event } = await failed;
    expect(event.position).toBe(3n);
    expect(error).toBeInstanceOf(ProjectionFailed);
    expect((error as ProjectionFailed).projector).toBe('failing');
    expect((error as Error).message).toMatch(/#3 \(Poison\): cannot project Poison/);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(projection.position).toBe(2n);
    expect(countsIn(db)).toEqual({ a: 1, b: 1 });
    expect(checkpointIn(db)).toBe('2');
    await expect(projection.waitFor(3n, 50)).resolves.toBe(false);
    await expect(projection.catchUp()).rejects.toThrow(/not started/);
  });

  it('reports a failed event on console.error when given no onError', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const projection = projections(memoryDatabase(), [failingOn('Poison')]);
    await append(store, 'a', 'Poison');
    await projection.start();
    await expect(projection.waitFor(1n, 50)).resolves.toBe(false);
    expect(error).toHaveBeenCalledWith(
      expect.stringMatching(/stopped at event #1 \(Poison\)/),
      expect.any(ProjectionFailed),
    );
  });

  it('stops quietly when the store closes', async () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => {});
    const onError = jest.fn();
    const projection = projections(memoryDatabase(), [streamCounts], { onError });
    await projection.start();
    await append(store, 'a', 'One');
    await projection.catchUp();
    await store.close();
    await projection.stop();
    expect(onError).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(projection.position).toBe(1n);
  });

  it('catchUp resolves with everything in the store applied', async () => {
    const db = memoryDatabase();
    const projection = projections(db);
    await expect(projection.catchUp()).resolves.toBeUndefined();
    for (let i = 0; i < 50; i++) await append(store, `s-${i % 5}`, 'Counted');
    await projection.start();
    await projection.catchUp();
    expect(projection.position).toBe(50n);
    expect(countsIn(db)).toEqual({ 's-0': 10, 's-1': 10, 's-2': 10, 's-3': 10, 's-4': 10 });
  });

  it('catchUp rejects, rather than wait forever, when behind and not started', async () => {
    const projection = projections(memoryDatabase());
    await append(store, 'a', 'One');
    await expect(projection.catchUp()).rejects.toThrow(/not started/);
  });

  it('catchUp rejects when the projections stop on a failure before reaching the end', async () => {
    const gated = new GatedStore();
    store = gated;
    const projection = projections(memoryDatabase(), [streamCounts, failingOn('Poison')], {
      onError: () => {},
    });
    await append(store, 'a', 'One', 'Poison');
    await projection.start();
    const catching = projection.catchUp();
    // The memory store reads in microtasks only: by the next macrotask catchUp is waiting.
    await new Promise((resolve) => setImmediate(resolve));
    gated.release();
    await expect(catching).rejects.toThrow(/stopped at #1, before reaching #2/);
  });

  it('keeps separate checkpoints for differently named projections on one database', async () => {
    const db = memoryDatabase();
    const first = projections(db, [streamCounts], { name: 'first' });
    const second = projections(db, [], { name: 'second' });
    await append(store, 'a', 'One', 'Two');
    await first.start();
    await first.catchUp();
    expect(checkpointIn(db, 'first')).toBe('2');
    expect(checkpointIn(db, 'second')).toBeUndefined();
    expect(second.position).toBe(0n);
  });
});

describe('Projections.rebuild', () => {
  it('empties the tables and replays the store to identical rows, returning the count', async () => {
    const db = fileDatabase();
    const projection = projections(db);
    await projection.start();
    for (let i = 0; i < 2500; i++) await append(store, `s-${i % 7}`, 'Counted');
    await projection.catchUp();
    await projection.stop();
    const before = countsIn(db);
    db.prepare("INSERT INTO stream_counts (stream, events) VALUES ('stale', 99)").run();

    await expect(projection.rebuild()).resolves.toBe(2500);
    expect(countsIn(db)).toEqual(before);
    expect(checkpointIn(db)).toBe('2500');
    expect(projection.position).toBe(2500n);
  });

  it('commits in batches of 1000: a failure keeps the batches before it', async () => {
    const db = memoryDatabase();
    for (let i = 0; i < 1499; i++) await append(store, 'a', 'Counted');
    await append(store, 'b', 'Poison');
    await append(store, 'a', 'Counted');
    const projection = projections(db, [streamCounts, failingOn('Poison')]);

    await expect(projection.rebuild()).rejects.toThrow(/#1500 \(Poison\)/);
    expect(countsIn(db)).toEqual({ a: 1000 });
    expect(checkpointIn(db)).toBe('1000');
    expect(projection.position).toBe(1000n);
  });

  it('empties tables a foreign key points at, whatever their order', async () => {
    const villages: Projector = {
      name: 'villages',
      schema: `CREATE TABLE IF NOT EXISTS villages (id TEXT PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS households (
          id TEXT PRIMARY KEY,
          village TEXT NOT NULL REFERENCES villages (id)
        )`,
      tables: ['villages', 'households'],
      apply(db, event) {
        db.prepare('INSERT OR IGNORE INTO villages (id) VALUES (?)').run(event.stream);
        db.prepare('INSERT INTO households (id, village) VALUES (?, ?)').run(
          event.id,
          event.stream,
        );
      },
    };
    const db = memoryDatabase();
    await append(store, 'v-1', 'HouseholdRegistered', 'HouseholdRegistered');
    const projection = projections(db, [villages]);
    await expect(projection.rebuild()).resolves.toBe(2);
    await expect(projection.rebuild()).resolves.toBe(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM households').get()).toEqual({ n: 2 });
  });

  it('refuses to rebuild while started', async () => {
    const projection = projections(memoryDatabase());
    await projection.start();
    await expect(projection.rebuild()).rejects.toThrow(/cannot rebuild/);
  });
});
