/**
 * The child of store-crash.test.ts: appends to the sqlite store in <file> until it is killed.
 *
 *   node --require tsx/cjs test/reliability/support/append-until-killed.ts <file>
 *
 * WRITERS concurrent loops append 1-3 events at a time, mostly to fresh streams ('no_stream'),
 * sometimes to a few shared streams ('any'). Only once an append's promise has resolved does it
 * print one line per event of it to stdout: `<eventId> <stream>`. A line on stdout is therefore
 * an acknowledgement, and the test holds the store to it after a SIGKILL.
 *
 * It never stops by itself, except: an append that fails (exit 2), or the hard cap (exit 3), so
 * that a broken test cannot leave it running.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import type { ExpectedRevision } from '../../../libs/event-store/src/event-store';
import { newEvent } from '../../../libs/event-store/src/event-store.contract';

const WRITERS = 16;
const SHARED_STREAMS = 3;
const HARD_CAP_MS = 60_000;

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: append-until-killed.ts <file>\n');
  process.exit(64);
}

setTimeout(() => {
  process.stderr.write(`append-until-killed: hard cap of ${HARD_CAP_MS} ms reached\n`);
  process.exit(3);
}, HARD_CAP_MS);

function nextAppend(): { stream: string; expectedRevision: ExpectedRevision } {
  if (Math.random() < 0.25) {
    const shared = Math.floor(Math.random() * SHARED_STREAMS);
    return { stream: `crash-shared-${shared}`, expectedRevision: 'any' };
  }
  return { stream: `crash-fresh-${randomUUID()}`, expectedRevision: 'no_stream' };
}

async function appendForever(store: SqliteEventStore, writer: number): Promise<never> {
  for (;;) {
    const { stream, expectedRevision } = nextAppend();
    const count = 1 + Math.floor(Math.random() * 3);
    // Each event names its append and the append's size, so the test can see a torn append.
    const append = randomUUID();
    const events = Array.from({ length: count }, () =>
      newEvent('CrashTested', { writer, append, of: count }),
    );
    await store.append(stream, events, { expectedRevision });
    // Acknowledged: the writer committed. Only now may the test hear of these events.
    process.stdout.write(events.map((event) => `${event.id} ${stream}\n`).join(''));
  }
}

async function main(): Promise<void> {
  const store = await SqliteEventStore.open(file as string);
  await Promise.all(Array.from({ length: WRITERS }, (_, i) => appendForever(store, i)));
}

main().catch((error: unknown) => {
  process.stderr.write(`append-until-killed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
