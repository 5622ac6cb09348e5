/**
 * npx tsx test/bench/growth.bench.ts — does the write path slow down as the store grows?
 *
 * One sqlite store file is grown step by step (BENCH_SIZES, default 10k, 100k, 1M, 5M events) with
 * realistic village events (support/synthetic-log.ts) in big batched appends. At each size:
 *   - append: BENCH_OPS (default 500) one-event `store.append`s, one after another, to one stream
 *     with its exact expected revision (after 20 not measured);
 *   - castBallot: BENCH_OPS ballots through `MeetingCommands.castBallot` (constructed by hand: load
 *     the meeting stream through Aggregates, decide, append), in a meeting convened afresh at that
 *     size and sitting with BENCH_MEMBERS (default 2,000) members checked in, so its stream is as
 *     long at every size. The first ballot, which folds the whole meeting, is reported apart.
 *   - cached load: BENCH_OPS `Aggregates.load`s of that meeting once cached: its tail read alone,
 *     no append and so no fsync, where a dependence on the store's size would show first.
 * Before measuring, the store's files are fsynced, so that the OS writing the fill back to disk
 * does not land in the figures. Latencies are p50/p99, with their ratio to the first size's, and
 * the load average beside them. Every stream read a command makes is counted: after the first, a
 * ballot must read only the meeting's tail (Aggregates' cache).
 *
 * Options (environment): BENCH_SIZES, BENCH_OPS, BENCH_MEMBERS, BENCH_DIR (default: a temp dir),
 * BENCH_KEEP=1 keeps the store. Writes test/bench/results/growth.json.
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { meeting } from '../../libs/domain/src';
import { SqliteEventStore } from '../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import type {
  AppendOptions,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
} from '../../libs/event-store/src/event-store';
import { Scope } from '../../src/auth/scope';
import { Aggregates } from '../../src/common/aggregates';
import { type Clock, systemClock } from '../../src/common/clock';
import { commandContext } from '../../src/common/command-context';
import { MeetingCommands } from '../../src/meetings/commands/meeting-commands';
import { MeetingFollowOns } from '../../src/proposals/follow-ons/meeting-follow-ons';
import { appendSegments, appendVillages, newEventsOf, VillageLog } from './support/synthetic-log';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000,5000000')
  .split(',')
  .map((size) => Number(size.trim()));
const OPS = Number(process.env.BENCH_OPS ?? 500);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
if (MEMBERS <= OPS) throw new Error('BENCH_MEMBERS must exceed BENCH_OPS: each member votes once');
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'cunyi-growth-'));

/** One readStream call, as the command path made it. */
interface StreamRead {
  readonly stream: string;
  readonly from: bigint | undefined;
  events: number;
}

/** The store, passed through, with every readStream call recorded. */
class CountingStore implements EventStore {
  reads: StreamRead[] = [];
  constructor(private readonly inner: EventStore) {}
  append(stream: string, events: readonly NewEvent[], options: AppendOptions) {
    return this.inner.append(stream, events, options);
  }
  async *readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<StoredEvent> {
    const read: StreamRead = { stream, from: options?.from, events: 0 };
    this.reads.push(read);
    for await (const event of this.inner.readStream(stream, options)) {
      read.events++;
      yield event;
    }
  }
  readAll(options?: ReadAllOptions) {
    return this.inner.readAll(options);
  }
  subscribe(options?: SubscribeOptions) {
    return this.inner.subscribe(options);
  }
  close() {
    return this.inner.close();
  }
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

function latencyOf(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) as number,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

/** A villagers' assembly convened, opened on `MEMBERS` adults, all checked in, voting open. */
function sittingMeeting(meetingId: string, villageId: string) {
  const now = Date.now();
  const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  const day = 24 * 60 * 60 * 1000;
  const villagers = Array.from({ length: MEMBERS }, (_, n) => ({
    villagerId: randomUUID(),
    householdId: `H${Math.floor(n / 4) + 1}`,
    birthDate: `19${50 + (n % 50)}-06-01`,
    gender: n % 2 === 0 ? ('FEMALE' as const) : ('MALE' as const),
  }));
  const openedAt = iso(-60 * 60 * 1000);
  const commands: meeting.MeetingCommand[] = [
    {
      type: 'ConveneMeeting',
      data: {
        meetingId,
        villageId,
        body: 'VILLAGERS_ASSEMBLY',
        quorumBasis: 'MEMBERS',
        scheduledAt: openedAt,
        noticeAt: iso(-20 * day),
        agenda: [
          { itemId: 'item-1', proposalId: randomUUID(), matter: 'PUBLIC_WORKS', title: '修路' },
        ],
        convenedBy: { kind: 'COMMITTEE' },
        at: iso(-20 * day),
      },
    },
    {
      type: 'OpenMeeting',
      data: {
        meetingId,
        rollDate: openedAt.slice(0, 10),
        villagers,
        householdRepresentatives: {},
        at: openedAt,
      },
    },
    ...villagers.map(
      ({ villagerId }): meeting.MeetingCommand => ({
        type: 'CheckIn',
        data: { meetingId, villagerId, channel: 'ONLINE', at: iso(-50 * 60 * 1000) },
      }),
    ),
    { type: 'OpenVoting', data: { meetingId, itemId: 'item-1', at: iso(-40 * 60 * 1000) } },
  ];
  const events: meeting.MeetingEvent[] = [];
  let state = meeting.meetingDecider.initialState();
  for (const command of commands) {
    for (const event of meeting.meetingDecider.decide(command, state)) {
      events.push(event);
      state = meeting.meetingDecider.evolve(state, event);
    }
  }
  return { events, villagerIds: villagers.map((v) => v.villagerId) };
}

/** A ballot-sized event, as castBallot appends it. */
function ballotEvent(): NewEvent {
  return {
    id: randomUUID(),
    type: 'BallotCast',
    data: {
      meetingId: randomUUID(),
      itemId: 'item-1',
      ballotId: randomUUID(),
      villagerId: randomUUID(),
      choice: 'FOR',
      channel: 'ONLINE',
      at: new Date().toISOString(),
    },
    metadata: {
      actor: { subject: randomUUID(), role: 'VILLAGER', village: 'v-1' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
      channel: 'phone',
    },
  };
}

interface Step {
  readonly size: number;
  readonly storeEventsAtMeasurement: number;
  readonly fillSeconds: number;
  readonly fillEventsPerSecond: number;
  readonly settleSeconds: number;
  /** The 1-minute load average before and after measuring (the machine has cpus().length cores). */
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly storeMB: number;
  readonly append: Latency;
  readonly castBallot: Latency;
  /** Aggregates.load of the meeting once cached: the tail read alone. */
  readonly cachedLoad: Latency & { readonly eventsRead: number };
  readonly firstCastBallot: { readonly ms: number; readonly eventsRead: number };
  readonly meetingStreamLength: number;
  /** Over the measured ballots (the first excluded): events read per ballot. */
  readonly warmReads: {
    readonly maxEventsPerBallot: number;
    readonly totalEvents: number;
    readonly readsPerBallot: number;
    readonly allFromCachedRevision: boolean;
    readonly otherStreamsRead: number;
  };
}

async function main() {
  const runStarted = performance.now();
  const file = join(dir, 'events.db');
  const inner = await SqliteEventStore.open(file);
  const store = new CountingStore(inner);
  const clock: Clock = systemClock;
  // Constructed by hand, as Nest would: tsx emits no decorator metadata.
  const aggregates = new Aggregates(store, clock);
  const commands = new MeetingCommands(
    aggregates,
    new Scope(store),
    clock,
    new MeetingFollowOns(aggregates),
  );
  const log = new VillageLog();
  const revisions = new Map<string, bigint>();
  let nextVillage = 0;
  let total = 0;
  const steps: Step[] = [];

  for (const size of SIZES) {
    const meetingId = randomUUID();
    const villageId = `growth-${size}`;
    const sitting = sittingMeeting(meetingId, villageId);
    const fill = size - total - sitting.events.length;
    if (fill < 0) throw new Error(`size ${size} is too small: the store already holds ${total}`);
    console.log(
      `growing to ${size} events: ${fill} village events, then a meeting of ${sitting.events.length}`,
    );
    const fillStarted = performance.now();
    nextVillage = await appendVillages(inner, log, nextVillage, fill, revisions);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const meetingStream = `meeting-${meetingId}`;
    await appendSegments(
      inner,
      [{ stream: meetingStream, events: newEventsOf(sitting.events, villageId) }],
      revisions,
    );
    total += fill + sitting.events.length;
    await assertHolds(inner, total);
    // The fill leaves the OS writing hundreds of MB back to disk; measured then, fsync latency
    // would be the fill's, not the size's. Flush it all, then measure.
    const settleSeconds = settle(file);
    // Other work on the machine shows in fsync latency: the load is recorded beside each figure.
    const loadBefore = loadavg()[0] as number;
    console.log(
      `  filled in ${fillSeconds.toFixed(1)} s (${(fill / fillSeconds).toFixed(0)} events/s), flushed to disk in ${settleSeconds.toFixed(1)} s`,
    );

    // Append latency: one event at a time, on one stream, with its expected revision.
    const appendStream = `bench-append-${size}`;
    const appendSamples: number[] = [];
    for (let i = 0; i < WARM_UP + OPS; i++) {
      const started = performance.now();
      await inner.append(appendStream, [ballotEvent()], {
        expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1),
      });
      if (i >= WARM_UP) appendSamples.push(performance.now() - started);
    }

    // castBallot: the first folds the whole meeting; the rest should read only its tail.
    const ballot = async (villagerId: string) => {
      const context = commandContext(
        { subject: villagerId, role: 'VILLAGER', villageId },
        { channel: 'phone' },
      );
      store.reads = [];
      const started = performance.now();
      await commands.castBallot(
        { meetingId, itemId: 'item-1', villagerId, choice: 'FOR' },
        'ONLINE',
        context,
      );
      return { ms: performance.now() - started, reads: store.reads };
    };
    const [firstVoter, ...voters] = sitting.villagerIds;
    const first = await ballot(firstVoter as string);
    const castSamples: number[] = [];
    let maxEvents = 0;
    let totalEvents = 0;
    let readCalls = 0;
    let allFromCache = true;
    let otherStreams = 0;
    let revision = BigInt(sitting.events.length); // the first ballot's revision
    for (const villagerId of voters.slice(0, OPS)) {
      const { ms, reads } = await ballot(villagerId);
      castSamples.push(ms);
      readCalls += reads.length;
      for (const read of reads) {
        if (read.stream !== meetingStream) {
          otherStreams++;
          continue;
        }
        maxEvents = Math.max(maxEvents, read.events);
        totalEvents += read.events;
        if (read.from !== revision + 1n) allFromCache = false;
      }
      revision += 1n;
    }
    total += WARM_UP + OPS + 1 + OPS;

    // The command path's read alone, no append and so no fsync: loading the (cached) meeting,
    // which reads the stream after the cached revision. What store size could slow is here.
    const loadSamples: number[] = [];
    let loadEvents = 0;
    for (let i = 0; i < OPS; i++) {
      store.reads = [];
      const started = performance.now();
      await aggregates.load(meetingStream, meeting.meetingDecider);
      loadSamples.push(performance.now() - started);
      loadEvents += store.reads.reduce((n, read) => n + read.events, 0);
    }

    const step: Step = {
      size,
      storeEventsAtMeasurement: size,
      fillSeconds,
      fillEventsPerSecond: fill / fillSeconds,
      settleSeconds,
      loadAverage: { before: loadBefore, after: loadavg()[0] as number },
      storeMB: statSync(file).size / 1e6,
      append: latencyOf(appendSamples),
      castBallot: latencyOf(castSamples),
      cachedLoad: { ...latencyOf(loadSamples), eventsRead: loadEvents },
      firstCastBallot: {
        ms: first.ms,
        eventsRead: first.reads.reduce((n, read) => n + read.events, 0),
      },
      meetingStreamLength: sitting.events.length,
      warmReads: {
        maxEventsPerBallot: maxEvents,
        totalEvents,
        readsPerBallot: readCalls / castSamples.length,
        allFromCachedRevision: allFromCache,
        otherStreamsRead: otherStreams,
      },
    };
    steps.push(step);
    console.log(
      `  load average ${loadBefore.toFixed(1)} → ${step.loadAverage.after.toFixed(1)} on ${cpus().length} cores`,
    );
    console.log(
      `  append p50 ${step.append.p50.toFixed(2)} ms p99 ${step.append.p99.toFixed(2)} ms; castBallot p50 ${step.castBallot.p50.toFixed(2)} ms p99 ${step.castBallot.p99.toFixed(2)} ms; first castBallot ${first.ms.toFixed(1)} ms reading ${step.firstCastBallot.eventsRead} events; later ballots read at most ${maxEvents} events each; cached load p50 ${step.cachedLoad.p50.toFixed(3)} ms p99 ${step.cachedLoad.p99.toFixed(3)} ms`,
    );
  }
  await store.close();

  const base = steps[0] as Step;
  const ratio = (value: number, of: number) => (value / of).toFixed(2);
  console.log(
    `\nlatency in ms over ${OPS} operations per size; × = ratio to the ${base.size} figure\n`,
  );
  console.log(
    'events       append p50    p99    ×p50  ×p99 | castBallot p50    p99    ×p50  ×p99 | cached load p50   p99   ×p50  ×p99 | 1st ballot ms (events read) | later: max events read | load avg',
  );
  for (const s of steps) {
    const cells = (
      [
        [s.append, base.append, 2],
        [s.castBallot, base.castBallot, 2],
        [s.cachedLoad, base.cachedLoad, 3],
      ] as const
    ).map(
      ([at, first, digits]) =>
        `${at.p50.toFixed(digits).padStart(14)} ${at.p99.toFixed(digits).padStart(6)}  ${ratio(at.p50, first.p50).padStart(5)} ${ratio(at.p99, first.p99).padStart(5)}`,
    );
    console.log(
      `${String(s.size).padStart(9)} ${cells.join(' |')} | ${s.firstCastBallot.ms.toFixed(1).padStart(13)} (${s.firstCastBallot.eventsRead}) | ${s.warmReads.maxEventsPerBallot} (from cached revision: ${s.warmReads.allFromCachedRevision}) | ${s.loadAverage.before.toFixed(1)}`,
    );
  }
  const tailOnly = steps.every(
    (s) =>
      s.warmReads.allFromCachedRevision &&
      s.warmReads.maxEventsPerBallot <= 1 &&
      s.warmReads.otherStreamsRead === 0,
  );
  console.log(
    `\nmeeting stream read tail-only after the first ballot, at every size: ${tailOnly ? 'yes' : 'NO'}`,
  );
  const runSeconds = (performance.now() - runStarted) / 1000;
  console.log(`whole run: ${runSeconds.toFixed(0)} s`);

  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'growth.json'),
    JSON.stringify(
      {
        sizes: SIZES,
        ops: OPS,
        members: MEMBERS,
        node: process.version,
        cores: cpus().length,
        steps: steps.map((s) => ({
          ...s,
          appendRatioToFirst: {
            p50: s.append.p50 / base.append.p50,
            p99: s.append.p99 / base.append.p99,
          },
          castBallotRatioToFirst: {
            p50: s.castBallot.p50 / base.castBallot.p50,
            p99: s.castBallot.p99 / base.castBallot.p99,
          },
          cachedLoadRatioToFirst: {
            p50: s.cachedLoad.p50 / base.cachedLoad.p50,
            p99: s.cachedLoad.p99 / base.cachedLoad.p99,
          },
        })),
        tailOnly,
        runSeconds,
      },
      null,
      2,
    ),
  );
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

/** Appends before the measured ones at each size, not measured. */
const WARM_UP = 20;

/** fsyncs the store's files (the database and its WAL); returns the seconds it took. */
function settle(file: string): number {
  const started = performance.now();
  for (const path of [file, `${file}-wal`]) {
    if (!existsSync(path)) continue;
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return (performance.now() - started) / 1000;
}

/** Positions are 1..n: the store holds `count` events when the one after `count - 1` is the last. */
async function assertHolds(store: EventStore, count: number): Promise<void> {
  const tail: bigint[] = [];
  for await (const event of store.readAll({ fromPosition: BigInt(count - 1) })) {
    tail.push(event.position);
  }
  if (tail.length !== 1 || tail[0] !== BigInt(count)) {
    throw new Error(
      `the store does not hold ${count} events (tail after #${count - 1}: ${tail.join(', ')})`,
    );
  }
}

void main();
