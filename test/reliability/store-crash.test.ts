/**
 * Crash test of the sqlite store: a child process appends with many concurrent writers and prints
 * each event once its append is acknowledged; we SIGKILL it at a random moment, reopen the same
 * file and hold the store to every acknowledgement. Repeated on one file, so each recovery starts
 * from the log the previous crash left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import type { StoredEvent } from '../../libs/event-store/src/event-store';
import { collect } from '../../libs/event-store/src/event-store.contract';

const RUNS = 5;
/** Acknowledged events to wait for before the kill, then a random delay up to MAX_DELAY_MS. */
const MIN_ACKS = 50;
const MAX_DELAY_MS = 400;
/** How long a child may take to start and acknowledge MIN_ACKS events. */
const START_TIMEOUT_MS = 20_000;

const ROOT = join(__dirname, '..', '..');
const CHILD = join(__dirname, 'support', 'append-until-killed.ts');

interface Run {
  /** Complete stdout lines: each `<eventId> <stream>`, one acknowledged event. */
  readonly lines: string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

let dir: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cunyi-crash-'));
});

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts the child on `file`, SIGKILLs it once it has acknowledged MIN_ACKS events plus a random
 * delay, and resolves when it is gone and its stdout is drained. Every complete line counts, also
 * those read after the kill: the child wrote them before it died, so after their acknowledgement.
 * A partial last line does not count.
 */
function appendUntilKilled(file: string): Promise<Run> {
  return new Promise<Run>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--require', 'tsx/cjs', CHILD, file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killScheduled = false;
    const startTimer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`child acknowledged ${lines.length} events in ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);

    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() as string;
      lines.push(...parts);
      if (!killScheduled && lines.length >= MIN_ACKS) {
        killScheduled = true;
        clearTimeout(startTimer);
        setTimeout(() => proc.kill('SIGKILL'), Math.random() * MAX_DELAY_MS);
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    proc.on('error', (error) => {
      clearTimeout(startTimer);
      reject(error);
    });
    proc.on('close', (code, signal) => {
      clearTimeout(startTimer);
      resolve({ lines, code, signal, stderr });
    });
  });
}

async function readBack(file: string): Promise<StoredEvent[]> {
  const store = await SqliteEventStore.open(file);
  try {
    return await collect(store.readAll());
  } finally {
    await store.close();
  }
}

function integrityOf(file: string): string {
  const db = new Database(file);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('sqlite store under SIGKILL', () => {
  it(`keeps every acknowledged event exactly once, gapless, across ${RUNS} SIGKILLs`, async () => {
    const file = join(dir, 'crash.db');
    /** Every event acknowledged so far, across runs: id -> the stream the child named. */
    const acknowledged = new Map<string, string>();
    let storedBefore = 0;

    for (let run = 1; run <= RUNS; run++) {
      const { lines, code, signal, stderr } = await appendUntilKilled(file);

      // The kill landed while the child was working, not after it stopped by itself.
      expect({ run, code, signal, stderr }).toEqual({ run, code: null, signal: 'SIGKILL', stderr });
      expect(lines.length).toBeGreaterThanOrEqual(MIN_ACKS);
      for (const line of lines) {
        const match = /^([0-9a-f-]{36}) (\S+)$/.exec(line);
        if (!match)
          throw new Error(`run ${run}: malformed acknowledgement ${JSON.stringify(line)}`);
        const [, id, stream] = match as unknown as [string, string, string];
        if (acknowledged.has(id)) throw new Error(`run ${run}: ${id} acknowledged twice`);
        acknowledged.set(id, stream);
      }

      const events = await readBack(file);
      expect(integrityOf(file)).toBe('ok');

      // 5. No event id appears twice in the whole log.
      const byId = new Map<string, StoredEvent>();
      const duplicates = events.filter((event) => {
        if (byId.has(event.id)) return true;
        byId.set(event.id, event);
        return false;
      });
      expect(duplicates.map((event) => event.id)).toEqual([]);

      // 1. Every acknowledged event is there (exactly once, by 5);
      // 4. in the stream the child named.
      const missing: string[] = [];
      const misplaced: string[] = [];
      for (const [id, stream] of acknowledged) {
        const stored = byId.get(id);
        if (!stored) missing.push(id);
        else if (stored.stream !== stream) misplaced.push(`${id}: ${stored.stream} != ${stream}`);
      }
      expect({ run, missing }).toEqual({ run, missing: [] });
      expect({ run, misplaced }).toEqual({ run, misplaced: [] });

      // 2. Positions are exactly 1..n.
      const badPositions = events
        .map((event, i) => ({ expected: BigInt(i + 1), position: event.position }))
        .filter(({ expected, position }) => position !== expected);
      expect({ run, badPositions }).toEqual({ run, badPositions: [] });

      // 3. Within each stream, revisions are exactly 0..k-1 in position order.
      const nextRevision = new Map<string, bigint>();
      const badRevisions: string[] = [];
      for (const event of events) {
        const expected = nextRevision.get(event.stream) ?? 0n;
        if (event.revision !== expected) {
          badRevisions.push(
            `${event.stream}@${event.position}: revision ${event.revision}, expected ${expected}`,
          );
        }
        nextRevision.set(event.stream, event.revision + 1n);
      }
      expect({ run, badRevisions }).toEqual({ run, badRevisions: [] });

      // 6. Appends are atomic: each one's events are all there, side by side, or none is.
      const torn: string[] = [];
      for (let i = 0; i < events.length; ) {
        const { append, of } = (events[i] as StoredEvent).data as { append: string; of: number };
        const group = events.slice(i, i + of);
        const whole =
          group.length === of &&
          group.every((e) => (e.data as { append: string }).append === append);
        if (!whole) torn.push(`${append} at position ${(events[i] as StoredEvent).position}`);
        i += whole ? of : 1;
      }
      expect({ run, torn }).toEqual({ run, torn: [] });

      // Not vacuous: every run added to the log.
      expect(events.length).toBeGreaterThan(storedBefore);
      expect(events.length).toBeGreaterThanOrEqual(acknowledged.size);
      storedBefore = events.length;
    }
    // ...and at least one kill landed mid-append: it left events committed but not acknowledged.
    expect(storedBefore).toBeGreaterThan(acknowledged.size);
  }, 120_000);
});
