/**
 * Crash test of the whole server (issue 6, "crash"): the built server runs as a child process on
 * the sqlite store while villagers vote over GraphQL, 16 ballots in flight; it is SIGKILLed at a
 * random moment (50–400 ms after the round's first receipt), 10 times, each time restarted on the
 * DATA_DIR the kill left behind. After each restart:
 *
 * 1. every ballot a villager holds a receipt for (an HTTP answer with `receipt` before the kill) is
 *    in the store exactly once, as that villager's ballot, and its receipt's leaf is still the
 *    log's; no villager has two ballots on the item (the meeting's default practice: no change);
 *    a ballot whose request was cut off by the kill may or may not be stored — stored, a retry of
 *    it is refused ALREADY_VOTED; not stored, the retry is accepted;
 * 2. the read model equals a fresh rebuild: once the restarted server has applied the whole store
 *    (its /ready reports the read model's position) and sits idle, its read-model.db is compared,
 *    table by table and row by row, with the one `projections rebuild` makes from a copy of the
 *    same events.db into an empty DATA_DIR. Compared caught up and idle, so nothing is still being
 *    applied and any difference is a real one: rows the crash left applied twice, half-applied or
 *    lost (see snapshotWhileIdle for how the live file is read while the server holds it; after
 *    the last round the server is stopped with SIGTERM and its own file compared too). The
 *    checkpoint table is compared apart (both at the store's last event); the live tally, asked
 *    over GraphQL, must also count exactly the ballots stored;
 * 3. `audit verify` passes on the DATA_DIR: the transparency log, resumed from its checkpoint after
 *    the crash, holds every event of the store once, in the store's order.
 *
 * Each kill falls on the server restarted after the previous one, once it has been checked: each
 * recovery starts from the files the previous crash left. The village is seeded over GraphQL on
 * the first start: its roll imported, the proposal deliberated, the assembly convened with its
 * notice dated 11 days back (A2 counts from the notice, which may precede the convening's
 * recording), opened, every villager checked in and voting opened. Runs dist/ (npm test builds it
 * first). A minute or two on 2 cores, most of it the eleven server start-ups; bounded at 3 minutes
 * (beforeAll 60 s, the test 120 s).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { createTokenService, type TokenService } from '../../src/auth/tokens';
import { runCli } from '../../src/cli/cli';
import type { Io } from '../../src/cli/io';
import { loadConfig } from '../../src/config/config';
import {
  codeOf,
  type GraphQLResponse,
  graphql,
  killAll,
  killHard,
  ok,
  readiness,
  type ServerProcess,
  sleep,
  startReadyServer,
  stop,
  waitUntilCaughtUp,
} from './support/server-process';
import { diffTables, type Tables, tablesOf } from './support/sqlite-tables';

const KILLS = 10;
/** Villagers on the roll, all adults and all checked in: enough voters left for every round (a round
 * takes up to ~120: what the server acknowledges in up to 400 ms, plus those cut off). */
const VILLAGERS = 1_500;
/** Ballots in flight at any moment during the load. */
const IN_FLIGHT = 16;
/** The kill falls this long after the first receipt of the round comes back. */
const KILL_AFTER_MS = { min: 50, max: 400 };
/** Without a receipt this long after the load starts, the server is killed anyway. */
const FIRST_RECEIPT_MS = 15_000;
/** Of the ballots cut off by a kill and stored anyway, how many are retried each round. */
const RETRIED_STORED = 4;
/** Acknowledged ballots retried each round: each must be refused too. */
const RETRIED_ACKNOWLEDGED = 2;

const VILLAGE_ID = 'crash-village';
const ITEM = 'item-1';
/** The checkpoint row the MeetingOutcomes reactor keeps in the read database. */
const REACTOR_CHECKPOINT = 'reactor:meeting-outcomes';
const CHOICES = ['FOR', 'AGAINST', 'ABSTAIN'] as const;

const CAST_BALLOT = `mutation ($m: ID!, $c: Choice!) {
  castBallot(meetingId: $m, itemId: "${ITEM}", choice: $c) {
    ballot { ballotId villagerId }
    receipt { eventId leafIndex leafHash }
  }
}`;

interface Receipt {
  readonly eventId: string;
  readonly leafIndex: number | null;
  readonly leafHash: string | null;
}

type CastBallot = {
  castBallot: { ballot: { ballotId: string; villagerId: string } | null; receipt: Receipt };
};

interface Acknowledged {
  readonly receipt: Receipt;
  readonly ballotId: string | undefined;
  readonly choice: string;
}

/** A BallotCast row of events.db. */
interface StoredBallot {
  readonly id: string;
  readonly villagerId: string;
  readonly ballotId: string;
  readonly choice: string;
}

interface RoundStats {
  round: number;
  killAfterMs: number;
  acknowledged: number;
  cutOff: number;
  cutOffStored: number;
  retriedRefused: number;
  retriedAccepted: number;
  events: number;
  ms: number;
  phases: Record<string, number>;
}

let dataDir: string;
const scratchDirs: string[] = [];
let env: Record<string, string>;
let tokens: TokenService;
let clerk: string;
let meetingId: string;
/** Villager id → token, for every villager on the roll. */
const villagerTokens = new Map<string, string>();
/** The villagers who have not voted: each round's load takes them from the front. */
const notVoted: string[] = [];
/** The seeding server, used for the first round's load. */
let firstServer: ServerProcess | undefined;
/** How long the first start and the seeding took. */
let seedMs = 0;

function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: Io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => out.push(s) },
  };
  const code = await runCli(argv, io, { env: { EVENT_STORE: 'sqlite', DATA_DIR: dir } });
  return { code, out: out.join('') };
}

const asClerk = async <T = Record<string, unknown>>(
  server: ServerProcess,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> => ok(await graphql<T>(server.url, query, variables, clerk));

/** `count` calls of `one`, `inFlight` at a time. */
async function concurrently(
  count: number,
  inFlight: number,
  one: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(count, inFlight) }, worker));
}

/** The village, its roll, a proposal deliberated, an assembly sitting with voting open. */
async function seed(server: ServerProcess): Promise<void> {
  tokens = await createTokenService(loadConfig(env));
  clerk = await tokens.mint({
    subject: `clerk-${VILLAGE_ID}`,
    role: 'CLERK',
    villageId: VILLAGE_ID,
  });
  await asClerk(
    server,
    'mutation ($i: RegisterVillageInput!) { registerVillage(input: $i) { caughtUp } }',
    {
      i: {
        villageId: VILLAGE_ID,
        name: '崩溃村',
        township: '断电镇',
        county: '安吉县',
        province: '浙江省',
      },
    },
  );
  const rows = Array.from(
    { length: VILLAGERS },
    (_, i) => `H${Math.floor(i / 4)},v${i},${i % 2 ? '男' : '女'},19${50 + (i % 40)}-01-01,户籍`,
  );
  const imported = await asClerk<{ importRoll: { villagers: number } }>(
    server,
    'mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }',
    { v: VILLAGE_ID, csv: `户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}\n` },
  );
  expect(imported.importRoll.villagers).toBe(VILLAGERS);

  type Page = {
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page: Page = (
      await asClerk<{ village: { villagers: Page } }>(
        server,
        'query ($v: ID!, $a: String) { village(villageId: $v) { villagers(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }',
        { v: VILLAGE_ID, a: after },
      )
    ).village.villagers;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(new Set(ids).size).toBe(VILLAGERS);
  for (const id of ids) {
    villagerTokens.set(
      id,
      await tokens.mint({ subject: id, role: 'VILLAGER', villageId: VILLAGE_ID }),
    );
  }

  const drafted = await asClerk<{ draftProposal: { proposal: { id: string } } }>(
    server,
    'mutation ($i: DraftProposalInput!) { draftProposal(input: $i) { proposal { id } } }',
    {
      i: {
        villageId: VILLAGE_ID,
        title: '村道照明改造',
        body: '村道照明改造：两委商议、党员审议后提交村民会议表决。',
        matter: 'OTHER',
        proposer: 'COMMITTEE',
      },
    },
  );
  const proposalId = drafted.draftProposal.proposal.id;
  for (const [step, members, attending, agreeing] of [
    ['JOINT_COMMITTEES', 9, 8, 7],
    ['PARTY_MEMBERS', 30, 24, 20],
  ] as const) {
    await asClerk(
      server,
      'mutation ($i: RecordDeliberationInput!) { recordDeliberation(input: $i) { caughtUp } }',
      {
        i: {
          proposalId,
          step,
          heldAt: new Date().toISOString(),
          members,
          attending,
          agreeing,
          minutesSha256: 'a'.repeat(64),
        },
      },
    );
  }
  // The server runs on the system clock: the notice is dated back instead (A2: ten days before
  // the sitting), and the sitting is scheduled a moment from now.
  const scheduledAt = Date.now() + 1_500;
  const convened = await asClerk<{
    conveneMeeting: { meeting: { id: string; notice: { ruleId: string; met: boolean }[] } };
  }>(
    server,
    'mutation ($i: ConveneMeetingInput!) { conveneMeeting(input: $i) { meeting { id notice { ruleId met } } } }',
    {
      i: {
        villageId: VILLAGE_ID,
        body: 'VILLAGERS_ASSEMBLY',
        noticeAt: new Date(Date.now() - 11 * 24 * 3_600_000).toISOString(),
        scheduledAt: new Date(scheduledAt).toISOString(),
        proposalIds: [proposalId],
      },
    },
  );
  expect(convened.conveneMeeting.meeting.notice).toEqual([{ ruleId: 'A2', met: true }]);
  meetingId = convened.conveneMeeting.meeting.id;
  await sleep(scheduledAt - Date.now() + 50);
  const opened = await asClerk<{ openMeeting: { meeting: { rollSize: number } } }>(
    server,
    'mutation ($m: ID!) { openMeeting(meetingId: $m) { meeting { rollSize } } }',
    { m: meetingId },
  );
  expect(opened.openMeeting.meeting.rollSize).toBe(VILLAGERS);

  await concurrently(ids.length, IN_FLIGHT, async (i) => {
    for (;;) {
      const answer = await graphql(
        server.url,
        'mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }',
        { m: meetingId },
        villagerTokens.get(ids[i] as string),
      );
      if (codeOf(answer) !== 'CONFLICT') return void ok(answer);
    }
  });
  const voting = await asClerk<{
    openVoting: { meeting: { quorum: { present: number; reached: boolean } } };
  }>(
    server,
    `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "${ITEM}") { meeting { quorum { present reached } } } }`,
    { m: meetingId },
  );
  expect(voting.openVoting.meeting.quorum).toEqual({ present: VILLAGERS, reached: true });
  notVoted.push(...ids);
}

/**
 * Casts ballots for the villagers who have not voted, IN_FLIGHT at a time, and SIGKILLs the server
 * `killAfterMs` after the first receipt comes back: the kill falls on a server busy voting, not on
 * one still warming up (the first ballot after a start folds the whole meeting stream). Should no
 * receipt come within FIRST_RECEIPT_MS, it is killed then, and the round has none to check.
 *
 * A ballot answered with a receipt is acknowledged, even if the answer is read after the kill: the
 * server sent it whole before it died. A request that got no whole answer is cut off: in doubt. A
 * CONFLICT answer stored nothing: the villager goes back to the queue. Any other answer is
 * unexpected.
 */
async function loadUntilKilled(server: ServerProcess, killAfterMs: number) {
  const acknowledged = new Map<string, Acknowledged>();
  const cutOff: string[] = [];
  const unexpected: string[] = [];
  let killing = false;
  let firstReceipt: () => void = () => {};
  const received = new Promise<void>((resolve) => {
    firstReceipt = resolve;
  });
  let startTimer: NodeJS.Timeout | undefined;
  const killed = Promise.race([
    received.then(() => sleep(killAfterMs)),
    new Promise<void>((resolve) => {
      startTimer = setTimeout(resolve, FIRST_RECEIPT_MS);
    }),
  ]).then(() => {
    clearTimeout(startTimer);
    killing = true;
    // Alive up to the kill: the crash is ours, not one of its own.
    const alive = server.running();
    return killHard(server).then((exit) => ({ alive, ...exit }));
  });
  let sent = 0;
  const worker = async () => {
    while (!killing) {
      const villagerId = notVoted.shift();
      if (villagerId === undefined) return;
      const choice = CHOICES[sent++ % CHOICES.length] as string;
      let answer: GraphQLResponse<CastBallot>;
      try {
        answer = await graphql<CastBallot>(
          server.url,
          CAST_BALLOT,
          { m: meetingId, c: choice },
          villagerTokens.get(villagerId),
        );
      } catch {
        cutOff.push(villagerId);
        continue;
      }
      const receipt = answer.data?.castBallot?.receipt;
      if (answer.errors === undefined && receipt) {
        acknowledged.set(villagerId, {
          receipt,
          ballotId: answer.data?.castBallot.ballot?.ballotId,
          choice,
        });
        firstReceipt();
      } else if (codeOf(answer) === 'CONFLICT') {
        notVoted.push(villagerId);
      } else {
        unexpected.push(`${villagerId}: ${answer.status} ${JSON.stringify(answer.errors)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const exit = await killed;
  return { acknowledged, cutOff, unexpected, exit };
}

/** A ballot as a phone client sends it: answered CONFLICT (nothing stored), sent again. */
async function resend(
  server: ServerProcess,
  villagerId: string,
  choice: string,
): Promise<GraphQLResponse<CastBallot>> {
  for (;;) {
    const answer = await graphql<CastBallot>(
      server.url,
      CAST_BALLOT,
      { m: meetingId, c: choice },
      villagerTokens.get(villagerId),
    );
    if (codeOf(answer) !== 'CONFLICT') return answer;
  }
}

/** The item's ballots as events.db holds them, read while the server runs (WAL: a snapshot). */
function storedBallots(): StoredBallot[] {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT id, json_extract(data, '$.villagerId') AS villagerId,
                json_extract(data, '$.ballotId') AS ballotId, json_extract(data, '$.choice') AS choice
         FROM events WHERE stream = ? AND type = 'BallotCast' AND json_extract(data, '$.itemId') = ?
         ORDER BY position`,
      )
      .all(`meeting-${meetingId}`, ITEM) as StoredBallot[];
  } finally {
    db.close();
  }
}

/** How many rows of events.db have each id: `SELECT id FROM events WHERE id = ?`. */
function timesStored(ids: readonly string[]): Map<string, number> {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    const select = db.prepare('SELECT id FROM events WHERE id = ?');
    return new Map(ids.map((id) => [id, select.all(id).length]));
  } finally {
    db.close();
  }
}

/** The store's last position, after SQLite's own check of the file the kills left. */
function lastPosition(): bigint {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    return BigInt(db.prepare('SELECT MAX(position) FROM events').pluck().get() as number);
  } finally {
    db.close();
  }
}

/** The log's leaf of each event id: index and hash (hex). */
function leavesOf(
  eventIds: readonly string[],
): Map<string, { leafIndex: number; leafHash: string }> {
  const db = new Database(join(dataDir, 'transparency-log.db'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const select = db.prepare('SELECT leaf_index, hash FROM log_leaves WHERE event_id = ?');
    const leaves = new Map<string, { leafIndex: number; leafHash: string }>();
    for (const id of eventIds) {
      const row = select.get(id) as { leaf_index: number; hash: Buffer } | undefined;
      if (row) leaves.set(id, { leafIndex: row.leaf_index, leafHash: row.hash.toString('hex') });
    }
    return leaves;
  } finally {
    db.close();
  }
}

/** A copy of the store (`dir`/events.db, to rebuild from) and of the server's read model (`live`). */
interface Snapshot {
  readonly dir: string;
  readonly live: string;
}

/** A new directory holding a copy of the store, made by SQLite's online backup. */
async function backupOfStore(): Promise<string> {
  const dir = scratch('cunyi-server-crash-snapshot-');
  const events = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    await events.backup(join(dir, 'events.db'));
  } finally {
    events.close();
  }
  return dir;
}

/** The rows of the read model's checkpoint table, by name. */
function checkpointsOf(file: string): Map<string, string> {
  const rows = tablesOf(file).checkpoint ?? [];
  return new Map(rows.map(([name, position]) => [String(name), String(position)]));
}

/** read-model.db of DATA_DIR and its WAL (not its -shm) copied over `to`, as they are. */
function copyReadModel(to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(join(dataDir, 'read-model.db'), to);
  if (existsSync(join(dataDir, 'read-model.db-wal'))) {
    copyFileSync(join(dataDir, 'read-model.db-wal'), `${to}-wal`);
  }
}

/**
 * The store and the read model as they are, taken while the server runs, idle and caught up at
 * `head`. The store through SQLite's online backup: a consistent copy whatever the server does.
 * The read model the server holds in EXCLUSIVE locking mode, so no other connection can read it:
 * its files (read-model.db and its WAL, not the -shm) are copied as they are, and opening the copy
 * recovers it from the WAL as SQLite recovers any database after a crash. That copy is consistent
 * if nothing wrote to the read model while it was taken. Two things write to it, each only when
 * the store has an event for it: the projections (which /ready reports at `head`) and the
 * MeetingOutcomes reactor, whose checkpoint row in the same file is only seen in a copy. So copies
 * are taken until one shows the reactor at `head` too; then nothing is left to write, and one
 * more copy, checked afterwards against a store still at `head`, is the snapshot.
 * (Stopping the server for every comparison instead would double the start-ups, the bulk of the
 * test's time; the last comparison is made on a cleanly stopped server's own file.)
 */
async function snapshotWhileIdle(server: ServerProcess, head: bigint): Promise<Snapshot> {
  const dir = await backupOfStore();
  const live = join(dir, 'live', 'read-model.db');
  mkdirSync(dirname(live));
  const at = String(head);
  for (let deadline = Date.now() + 10_000; ; await sleep(50)) {
    copyReadModel(live);
    const checkpoints = checkpointsOf(live);
    if (checkpoints.get('projections') === at && checkpoints.get(REACTOR_CHECKPOINT) === at) break;
    if (Date.now() > deadline) {
      throw new Error(`the read model's checkpoints did not reach #${head}: ${[...checkpoints]}`);
    }
  }
  copyReadModel(live);
  const after = await readiness(server.url);
  expect({ store: lastPosition(), readModel: after.readModel }).toEqual({
    store: head,
    readModel: head,
  });
  return { dir, live };
}

/**
 * `projections rebuild` on `snapshot.dir` (its events.db alone: a fresh read model), then the
 * differences between the rebuilt read model and the live one, every table but the checkpoint
 * compared row by row. Of the checkpoint, the projections' row must be `head` in both; the live
 * one also holds the MeetingOutcomes reactor's row, which is no projection's and which
 * `projections rebuild` neither writes nor clears, so it is not compared.
 */
async function differencesFromRebuild(snapshot: Snapshot, head: bigint): Promise<string[]> {
  expect(existsSync(join(snapshot.dir, 'read-model.db'))).toBe(false);
  const rebuild = await cli(snapshot.dir, 'projections', 'rebuild');
  expect(rebuild).toEqual({ code: 0, out: `rebuilt the read model from ${head} events\n` });
  const live = tablesOf(snapshot.live);
  const rebuilt = tablesOf(join(snapshot.dir, 'read-model.db'));
  const projections = (tables: Tables) =>
    tables.checkpoint?.find(([name]) => name === 'projections');
  expect({ live: projections(live), rebuilt: projections(rebuilt) }).toEqual({
    live: ['projections', String(head)],
    rebuilt: ['projections', String(head)],
  });
  delete live.checkpoint;
  delete rebuilt.checkpoint;
  return diffTables(live, rebuilt);
}

/** `audit verify` on the DATA_DIR: exit 0, every event of the store a leaf of the log. */
async function expectAuditVerifies(head: bigint): Promise<void> {
  const audit = await cli(dataDir, 'audit', 'verify');
  expect(audit.code).toBe(0);
  expect(audit.out).toContain(`verified: ${head} events in the store, ${head} leaves in the log`);
}

beforeAll(async () => {
  dataDir = scratch('cunyi-server-crash-');
  env = { EVENT_STORE: 'sqlite', DATA_DIR: dataDir, MUTATIONS_PER_MINUTE: '100000' };
  const began = Date.now();
  firstServer = await startReadyServer(env);
  await seed(firstServer);
  seedMs = Date.now() - began;
}, 60_000);

afterAll(async () => {
  await killAll();
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the server under SIGKILL, with ballots in flight', () => {
  it(`keeps every receipt's ballot exactly once, a read model equal to a rebuild and a log that verifies, across ${KILLS} kills`, async () => {
    /** Every ballot acknowledged so far, by villager. */
    const acknowledged = new Map<string, Acknowledged>();
    /** Villagers whose ballot was cut off by a kill and found stored after it. */
    const storedUnacknowledged = new Set<string>();
    const stats: RoundStats[] = [];
    let server = firstServer as ServerProcess;

    for (let round = 1; round <= KILLS; round++) {
      const began = Date.now();
      const phases: Record<string, number> = {};
      let lapStart = began;
      const lap = (phase: string) => {
        const now = Date.now();
        phases[phase] = now - lapStart;
        lapStart = now;
      };
      const killAfterMs = Math.round(
        KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min),
      );
      const load = await loadUntilKilled(server, killAfterMs);
      lap('load');
      expect({ round, ...load.exit }).toEqual({
        round,
        alive: true,
        code: null,
        signal: 'SIGKILL',
      });
      expect({ round, unexpected: load.unexpected }).toEqual({ round, unexpected: [] });
      for (const [villagerId, ack] of load.acknowledged) {
        expect(acknowledged.has(villagerId)).toBe(false);
        acknowledged.set(villagerId, ack);
      }

      // The restart, on what the kill left; it carries the next round's load.
      server = await startReadyServer(env);
      lap('restart');

      // 1. Every acknowledged ballot is stored exactly once, as the villager's ballot.
      const times = timesStored([...acknowledged.values()].map((ack) => ack.receipt.eventId));
      const notOnce = [...times].filter(([, n]) => n !== 1).map(([id, n]) => `${id}: ${n}`);
      expect({ round, notOnce }).toEqual({ round, notOnce: [] });
      let stored = storedBallots();
      const byEventId = new Map(stored.map((ballot) => [ballot.id, ballot]));
      const misrecorded = [...acknowledged]
        .filter(([villagerId, { receipt, ballotId, choice }]) => {
          const ballot = byEventId.get(receipt.eventId);
          return (
            ballot?.villagerId !== villagerId ||
            ballot.ballotId !== ballotId ||
            ballot.choice !== choice
          );
        })
        .map(([villagerId]) => villagerId);
      expect({ round, misrecorded }).toEqual({ round, misrecorded: [] });

      // No villager has two ballots on the item; none has one who never sent it.
      const ballotsOf = new Map<string, number>();
      for (const { villagerId } of stored) {
        ballotsOf.set(villagerId, (ballotsOf.get(villagerId) ?? 0) + 1);
      }
      const twice = [...ballotsOf].filter(([, n]) => n > 1).map(([id]) => id);
      expect({ round, twice }).toEqual({ round, twice: [] });
      const cutOffStored = load.cutOff.filter((id) => ballotsOf.has(id));
      const cutOffLost = load.cutOff.filter((id) => !ballotsOf.has(id));
      for (const id of cutOffStored) storedUnacknowledged.add(id);
      const phantom = [...ballotsOf.keys()].filter(
        (id) => !acknowledged.has(id) && !storedUnacknowledged.has(id),
      );
      expect({ round, phantom }).toEqual({ round, phantom: [] });

      // A retry of a stored ballot is refused; of one the kill lost, accepted (and acknowledged).
      const retried = [
        ...cutOffStored.slice(0, RETRIED_STORED),
        ...[...acknowledged.keys()].slice(-RETRIED_ACKNOWLEDGED),
      ];
      const restarted = server;
      const retryAnswers = await Promise.all(
        [...retried, ...cutOffLost].map(async (villagerId) => ({
          villagerId,
          answer: await resend(restarted, villagerId, 'FOR'),
        })),
      );
      const refusedCodes = retryAnswers
        .filter(({ villagerId }) => retried.includes(villagerId))
        .map(({ villagerId, answer }) => [villagerId, codeOf(answer)]);
      expect({ round, refusedCodes }).toEqual({
        round,
        refusedCodes: retried.map((villagerId) => [villagerId, 'ALREADY_VOTED']),
      });
      for (const { villagerId, answer } of retryAnswers) {
        if (retried.includes(villagerId)) continue;
        const data = ok(answer);
        acknowledged.set(villagerId, {
          receipt: data.castBallot.receipt,
          ballotId: data.castBallot.ballot?.ballotId,
          choice: 'FOR',
        });
      }
      lap('retries');

      // Caught up: the read model and the log have applied every event now in the store.
      const head = lastPosition();
      await waitUntilCaughtUp(server, head);
      lap('catchUp');
      stored = storedBallots();
      expect(stored.length).toBe(acknowledged.size + storedUnacknowledged.size);

      // Every receipt's leaf is the log's: the leaf it named, or, named none yet, one now.
      const eventIds = [...acknowledged.values()].map((ack) => ack.receipt.eventId);
      const leaves = leavesOf(eventIds);
      const badReceipts = [...acknowledged]
        .filter(([, { receipt }]) => {
          const leaf = leaves.get(receipt.eventId);
          if (leaf === undefined) return true;
          if (receipt.leafIndex === null) return false;
          return leaf.leafIndex !== receipt.leafIndex || leaf.leafHash !== receipt.leafHash;
        })
        .map(([villagerId, { receipt }]) => `${villagerId}: ${JSON.stringify(receipt)}`);
      expect({ round, badReceipts }).toEqual({ round, badReceipts: [] });

      // The live tally counts exactly the ballots stored.
      const item = (
        await asClerk<{
          meeting: {
            items: { voting: string; tally: { for: number; against: number; abstain: number } }[];
          };
        }>(
          server,
          'query ($m: ID!) { meeting(meetingId: $m) { items { voting tally { for against abstain } } } }',
          { m: meetingId },
        )
      ).meeting.items[0];
      const count = (choice: string) => stored.filter((ballot) => ballot.choice === choice).length;
      expect({ round, voting: item?.voting, tally: item?.tally }).toEqual({
        round,
        voting: 'OPEN',
        tally: { for: count('FOR'), against: count('AGAINST'), abstain: count('ABSTAIN') },
      });

      // 2. The read model equals a fresh rebuild from the same events.
      const snapshot = await snapshotWhileIdle(server, head);
      expect({ round, differences: await differencesFromRebuild(snapshot, head) }).toEqual({
        round,
        differences: [],
      });
      rmSync(snapshot.dir, { recursive: true, force: true });
      lap('rebuild');

      // 3. The log verifies against the store (audit verify only reads: the server keeps running).
      await expectAuditVerifies(head);
      lap('audit');

      stats.push({
        round,
        killAfterMs,
        acknowledged: load.acknowledged.size,
        cutOff: load.cutOff.length,
        cutOffStored: cutOffStored.length,
        retriedRefused: retried.length,
        retriedAccepted: cutOffLost.length,
        events: Number(head),
        ms: Date.now() - began,
        phases,
      });
    }

    // Last, the same comparison on the server's own file, the server stopped cleanly (SIGTERM):
    // the read model as the server closed it, not a copy of its files, equals the rebuild.
    const head = lastPosition();
    const stopped = await stop(server);
    expect(stopped).toEqual({ code: 0, signal: null });
    const live = join(dataDir, 'read-model.db');
    expect(await differencesFromRebuild({ dir: await backupOfStore(), live }, head)).toEqual([]);
    await expectAuditVerifies(head);

    process.stdout.write(
      `server-crash: seeded in ${seedMs} ms; per round\n${stats.map((s) => JSON.stringify(s)).join('\n')}\n`,
    );
    // Not vacuous: ballots were acknowledged, and some kills cut requests off.
    expect(stats.every((s) => s.acknowledged > 0)).toBe(true);
    expect(stats.some((s) => s.cutOff > 0)).toBe(true);
  }, 120_000);
});
