import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StorageFailure } from '../../errors';
import { collect, describeEventStoreContract, newEvent } from '../../event-store.contract';
import { SqliteEventStore } from './sqlite.event-store';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cunyi-sqlite-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('sqlite', () => SqliteEventStore.open(join(dir, 'contract.db')));

describe('sqlite adapter', () => {
  it('runs every connection at journal_mode=WAL, synchronous=FULL', async () => {
    const file = join(dir, 'durability.db');
    const store = await SqliteEventStore.open(file);
    try {
      expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: 2 });
      await store.append('s-1', [newEvent()], { expectedRevision: 'no_stream' });
    } finally {
      await store.close();
    }
    // WAL is a property of the file: a plain connection opened afterwards sees it.
    const plain = new Database(file);
    expect(plain.pragma('journal_mode', { simple: true })).toBe('wal');
    plain.close();
  });

  it('numbers positions 1..n with no gaps, even after refused appends', async () => {
    const store = await SqliteEventStore.open(join(dir, 'gapless.db'));
    try {
      await store.append('g-1', [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      await Promise.allSettled([
        store.append('g-1', [newEvent()], { expectedRevision: 'no_stream' }),
        store.append('g-2', [newEvent(), newEvent()], { expectedRevision: 'no_stream' }),
        store.append('g-1', [newEvent()], { expectedRevision: 5n }),
        store.append('g-3', [newEvent()], { expectedRevision: 'no_stream' }),
      ]);
      const positions = (await collect(store.readAll())).map((e) => e.position);
      expect(positions).toEqual([1n, 2n, 3n, 4n, 5n]);
    } finally {
      await store.close();
    }
  });

  it('fails to open, naming the file, when it cannot be a database', async () => {
    // A directory where the database file should be: the writer thread cannot open it.
    await expect(SqliteEventStore.open(dir)).rejects.toBeInstanceOf(StorageFailure);
    await expect(SqliteEventStore.open(dir)).rejects.toThrow(dir);
  });
});
