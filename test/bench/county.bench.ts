/**
 * npx tsx test/bench/county.bench.ts — a county's election day, over HTTP, on the built server.
 * (Needs `npx nest build` and `npm --prefix test/bench install` for autocannon.)
 *
 * Election day (BENCH_MODE=election): BENCH_VILLAGES (200) villages of BENCH_MEMBERS (2,000)
 * members each, every village holding its villagers' assembly: everyone on the roll, the meeting
 * open, everyone checked in, voting open on item-1 (its proposal drafted, steps 2–3 recorded,
 * tabled). The histories are decided by the domain's deciders and appended straight to
 * DATA_DIR/events.db (support/county-seed.ts); the built server is then started on that DATA_DIR
 * and projects all of it into its read model and transparency log before the measurements:
 *   - castBallot over HTTP/GraphQL with real HS256 JWTs, BENCH_CONNECTIONS (64) connections,
 *     BENCH_BALLOTS (30,000) ballots, each a different villager of a random village: answers per
 *     second and latency p50/p99/p99.9, every error counted by its code;
 *   - the cheapest query, `{ server { version } }`, with the same tokens and connections: the
 *     baseline castBallot is held against (ratio);
 *   - `meeting(meetingId)` with its items' live tally and quorum, at the same concurrency.
 * Before measuring, one ballot per meeting is cast one at a time (the first command on a meeting
 * folds its whole stream: reported as the cold first ballot), then a short unmeasured castBallot
 * run warms the JIT.
 *
 * Memory (BENCH_MODE=memory): BENCH_MEMORY_VILLAGES (half of BENCH_VILLAGES: 100) villages of
 * BENCH_MEMBERS villagers, each with BENCH_MEMORY_MEETINGS (10) assemblies held in full (check-ins,
 * ballots, decisions, resolutions): the server's RSS (VmRSS, and VmHWM, its peak) once it has
 * projected them all and gone idle; then the p99 of `proposal(proposalId)` with its resolution.
 *
 * BENCH_MODE=all (default) runs both. Other options (environment): BENCH_DURATION (10 s per query
 * run), BENCH_CONNECTIONS (64), BENCH_DIR (default: a temp dir), BENCH_KEEP=1 keeps it,
 * BENCH_REUSE=1 reuses a kept election-day store (voters already used are tracked in its
 * manifest), with BENCH_REPROJECT=1 its read model and log deleted first so the server projects
 * them again from scratch, BENCH_PROJECT=offline builds the read model and the log with
 * Projections.rebuild() before the server starts (support/offline-projection.ts) instead of
 * letting the server catch up event by event, BENCH_CPU_PROF=1 runs the measured server under
 * `node --cpu-prof` (election day: the caught-up server restarted under it) and prints its top
 * self-time functions, whole and for each measured run, BENCH_DECIDE_EACH=1 decides every
 * village afresh instead of instantiating one decided template.
 *
 * The server's progress is read from /ready, or, while it does not answer HTTP at all (it does
 * not, until its projections have caught up), from the transparency log's checkpoint in its file.
 * Every load run reports the server's CPU per request (/proc/<pid>/stat) beside throughput and
 * latency: the machine may be shared, and the CPU a request costs does not depend on that.
 *
 * Prints one table and writes test/bench/results/county.json (a run of one mode keeps the other
 * mode's section from the previous file, marked with its date).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import { SqliteEventStore } from '../../libs/event-store/src/adapters/sqlite/sqlite.event-store';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/tokens';
import {
  appendVillages,
  type SeededVillage,
  type VillageShape,
  VillageTemplate,
} from './support/county-seed';
import { type GraphQLBody, type LoadResult, load } from './support/load';
import { projectOffline } from './support/offline-projection';
import { selfTimes, type Window } from './support/profile-top';
import { ServerChild, sleep } from './support/server-child';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
};
const MODE = process.env.BENCH_MODE ?? 'all';
if (!['all', 'election', 'memory'].includes(MODE)) {
  throw new Error('BENCH_MODE is all | election | memory');
}
const VILLAGES = number('BENCH_VILLAGES', 200);
const MEMBERS = number('BENCH_MEMBERS', 2000);
const PER_HOUSEHOLD = number('BENCH_PER_HOUSEHOLD', 4);
const MEMORY_VILLAGES = number('BENCH_MEMORY_VILLAGES', Math.ceil(VILLAGES / 2));
const MEMORY_MEETINGS = number('BENCH_MEMORY_MEETINGS', 10);
const CONNECTIONS = number('BENCH_CONNECTIONS', 64);
const BALLOTS = number('BENCH_BALLOTS', 30_000);
const DURATION = number('BENCH_DURATION', 10);
const CATCH_UP_TIMEOUT_MS = number('BENCH_CATCH_UP_TIMEOUT_S', 3600) * 1000;
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
const KEEP = process.env.BENCH_KEEP === '1' || process.env.BENCH_REUSE === '1';
const REUSE = process.env.BENCH_REUSE === '1';
const DECIDE_EACH = process.env.BENCH_DECIDE_EACH === '1';
const REPROJECT = process.env.BENCH_REPROJECT === '1';
const PROJECT = process.env.BENCH_PROJECT ?? 'server';
if (!['server', 'offline'].includes(PROJECT)) throw new Error('BENCH_PROJECT is server | offline');

const TARGETS = {
  castBallotPerSecond: 2000,
  castBallotP99Ms: 50,
  castBallotToTrivial: 0.4,
  tallyQueryP99Ms: 10,
  rssMb: 400,
};

const RESULTS = join(__dirname, 'results', 'county.json');

const log = (line: string) => process.stderr.write(`[county] ${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

// ---------------------------------------------------------------------------------------------
// Tokens: HS256, as the server's embedded token service mints them (src/auth/tokens.ts).

const SECRET = randomBytes(32).toString('base64url');
const KEY = new TextEncoder().encode(SECRET);

function mint(subject: string, role: 'VILLAGER' | 'CLERK', villageId: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role, village: villageId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + 8 * 60 * 60)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .sign(KEY);
}

async function graphql<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  if (!response.ok || body.errors?.length) {
    throw new Error(`${response.status} ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data as T;
}

// ---------------------------------------------------------------------------------------------
// Seeding

/** What the measurements need of a seeded village (kept in DATA_DIR/manifest.json). */
interface VillageEntry {
  readonly villageId: string;
  readonly clerk: string;
  readonly members: readonly string[];
  readonly meetingId?: string;
  readonly heldProposalIds: readonly string[];
  /** Members who have voted: the next voter is members[voted]. */
  voted: number;
}

interface Seeded {
  readonly villages: VillageEntry[];
  readonly events: number;
  readonly lastPosition: string;
  readonly decideTemplateMs: number;
  readonly seedMs: number;
  readonly storeMb: number;
}

const entryOf = (village: SeededVillage): VillageEntry => ({
  villageId: village.villageId,
  clerk: village.clerk,
  members: village.members,
  ...(village.sittingMeetingId === undefined ? {} : { meetingId: village.sittingMeetingId }),
  heldProposalIds: village.heldProposalIds,
  voted: 0,
});

const fileMb = (file: string) => (existsSync(file) ? statSync(file).size / 1024 / 1024 : 0);

/** Decides `count` villages of `shape` and appends them, a few villages per round of appends. */
async function seed(dataDir: string, count: number, shape: VillageShape): Promise<Seeded> {
  const started = performance.now();
  const template = new VillageTemplate(shape, Date.now(), DECIDE_EACH);
  log(
    `template: ${template.eventsPerVillage} events per village, decided in ${Math.round(template.decideMs)} ms`,
  );
  const store = await SqliteEventStore.open(join(dataDir, 'events.db'));
  const villages: VillageEntry[] = [];
  let events = 0;
  let lastPosition = 0n;
  const perRound = Math.max(1, Math.floor(50_000 / template.eventsPerVillage));
  try {
    // The writer commits one round while this thread instantiates the next.
    let appending: Promise<bigint> | undefined;
    let reported = 0;
    for (let first = 0; first < count; first += perRound) {
      const round: SeededVillage[] = [];
      for (let i = first; i < Math.min(count, first + perRound); i++)
        round.push(template.village(i));
      if (appending) lastPosition = await appending;
      appending = appendVillages(store, round);
      for (const village of round) {
        villages.push(entryOf(village));
        events += village.events;
      }
      if (villages.length - reported >= Math.max(1, Math.floor(count / 10))) {
        reported = villages.length;
        log(
          `  ${villages.length}/${count} villages, ${events} events, ${seconds(performance.now() - started)} s`,
        );
      }
    }
    if (appending) lastPosition = await appending;
  } finally {
    await store.close();
  }
  const seedMs = performance.now() - started;
  const storeMb = fileMb(join(dataDir, 'events.db')) + fileMb(join(dataDir, 'events.db-wal'));
  return {
    villages,
    events,
    lastPosition: lastPosition.toString(),
    decideTemplateMs: template.decideMs,
    seedMs,
    storeMb,
  };
}

// ---------------------------------------------------------------------------------------------
// The server: started on the seeded DATA_DIR, followed until it has projected everything.

interface CatchUp {
  /** BENCH_PROJECT=offline: the read model and the log built before the server started. */
  readonly offline?: { readonly readModelMs: number; readonly transparencyLogMs: number };
  /** Until /ready first answered: the server listening at all. */
  readonly readyMs: number;
  readonly readModelMs: number;
  readonly transparencyLogMs: number;
  /** Until the probe query answered as the seed says it should. */
  readonly caughtUpMs: number;
  /** Until the process went idle (the reactor and tree heads done too). */
  readonly idleMs: number;
  readonly eventsPerSecond: number;
}

async function startAndCatchUp(
  dataDir: string,
  lastPosition: bigint,
  events: number,
  probe: (url: string) => Promise<boolean>,
  nodeArgs: readonly string[] = [],
  fresh = true,
): Promise<{ server: ServerChild; catchUp: CatchUp }> {
  let offline: CatchUp['offline'];
  if (PROJECT === 'offline' && fresh) {
    log('projecting offline: the read model, then the transparency log (Projections.rebuild)');
    offline = await projectOffline(dataDir);
    log(
      `  read model ${seconds(offline.readModelMs)} s, log ${seconds(offline.transparencyLogMs)} s (${Math.round(events / ((offline.readModelMs + offline.transparencyLogMs) / 1000))} events/s for both)`,
    );
  }
  const started = performance.now();
  const server = await ServerChild.start({ dataDir, jwtSecret: SECRET, nodeArgs });
  try {
    // The server may not answer at all while it catches up (its projections' loops run in
    // microtasks): progress is then read from the transparency log's own checkpoint.
    let readyMs: number | undefined;
    let readModelMs: number | undefined;
    let transparencyLogMs: number | undefined;
    let lastReport = performance.now();
    while (readModelMs === undefined || transparencyLogMs === undefined) {
      if (performance.now() - started > CATCH_UP_TIMEOUT_MS) {
        throw new Error(`not caught up within ${CATCH_UP_TIMEOUT_MS} ms:\n${server.tail()}`);
      }
      const ready = await server.readyOnce();
      const now = performance.now() - started;
      if (ready !== undefined) {
        readyMs ??= now;
        if (readModelMs === undefined && (ready.readModel ?? 0n) >= lastPosition) {
          readModelMs = now;
        }
        if (transparencyLogMs === undefined && (ready.transparencyLog ?? 0n) >= lastPosition) {
          transparencyLogMs = now;
        }
      }
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        log(
          `  ${seconds(now)} s: ${ready === undefined ? 'not answering HTTP' : `read model #${ready.readModel}`}, log #${ready?.transparencyLog ?? logCheckpoint(dataDir)} of #${lastPosition}, server RSS ${Math.round(server.memory().rssMb)} MB, ${Math.round(server.cpuSeconds())} CPU s`,
        );
      }
      await sleep(ready === undefined ? 1000 : 200);
    }
    while (!(await probe(server.url))) {
      if (performance.now() - started > CATCH_UP_TIMEOUT_MS) throw new Error('probe never passed');
      await sleep(200);
    }
    const caughtUpMs = performance.now() - started;
    await server.settle();
    const idleMs = performance.now() - started;
    return {
      server,
      catchUp: {
        ...(offline ? { offline } : {}),
        readyMs: readyMs ?? 0,
        readModelMs,
        transparencyLogMs,
        caughtUpMs,
        idleMs,
        eventsPerSecond: Math.round(
          events /
            ((caughtUpMs + (offline ? offline.readModelMs + offline.transparencyLogMs : 0)) / 1000),
        ),
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** How far the transparency log has got, from its file (the server does not hold it exclusively). */
function logCheckpoint(dataDir: string): string {
  const file = join(dataDir, 'transparency-log.db');
  if (!existsSync(file)) return '0';
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT position FROM checkpoint WHERE name = 'transparency-log'")
      .get() as { position: string } | undefined;
    return row?.position ?? '0';
  } catch {
    return '?';
  } finally {
    db.close();
  }
}

function profileDirOf(dataDir: string): string {
  return join(dataDir, 'cpu-profiles');
}

/** The newest .cpuprofile the server wrote on exit, summarised: whole, then each measured run. */
function profileSummary(dataDir: string) {
  const dir = profileDirOf(dataDir);
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const file = files[0];
  if (file === undefined) return undefined;
  const print = (title: string, summary: ReturnType<typeof selfTimes>) => {
    log(`${title}: ${summary.totalMs} ms sampled`);
    for (const f of summary.functions) {
      log(
        `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.name}`,
      );
    }
    log('  by area:');
    for (const a of summary.areas.slice(0, 12)) {
      log(
        `  ${(a.share * 100).toFixed(1).padStart(5)}%  ${String(a.ms).padStart(6)} ms  ${a.name}`,
      );
    }
  };
  const whole = selfTimes(file, 25);
  print(`CPU profile ${file}`, whole);
  const byPhase = phases.map(({ name, window }) => {
    const summary = selfTimes(file, 20, window);
    print(`CPU profile, ${name}`, summary);
    return { name, window, ...summary };
  });
  return { file: file.slice(dir.length + 1), whole, byPhase };
}

// ---------------------------------------------------------------------------------------------
// Election day

const CAST_BALLOT = `mutation ($m: ID!) {
  castBallot(meetingId: $m, itemId: "item-1", choice: FOR) {
    caughtUp position ballot { ballotId castAt } receipt { eventId leafIndex leafHash }
  }
}`;
const TRIVIAL = '{ server { version } }';
const MEETING_TALLY = `query ($m: ID!) {
  meeting(meetingId: $m) {
    id phase rollSize attendance { present online inPerson left }
    quorum { ruleId present of required reached }
    items { itemId voting quorumAtOpening { reached } tally { for against abstain attending notVoting } }
  }
}`;
const PROPOSAL_RESOLUTION = `query ($p: ID!) {
  proposal(proposalId: $p) {
    id step pathStep title
    resolution { meetingId itemId outcome decidedAt members
      tally { for against abstain attending notVoting }
      judgements { ruleId met actual required of }
      publication { publishedAt late dueBy } }
  }
}`;

interface Voter {
  readonly village: number;
  readonly villagerId: string;
}

/** `count` voters, each from a random village with members who have not voted; none twice. */
function pickVoters(villages: VillageEntry[], count: number): Voter[] {
  const open = villages.map((_, i) => i).filter((i) => hasVoters(villages[i] as VillageEntry));
  const voters: Voter[] = [];
  while (voters.length < count && open.length > 0) {
    const slot = Math.floor(Math.random() * open.length);
    const index = open[slot] as number;
    const village = villages[index] as VillageEntry;
    voters.push({ village: index, villagerId: village.members[village.voted++] as string });
    if (!hasVoters(village)) {
      open[slot] = open[open.length - 1] as number;
      open.pop();
    }
  }
  return voters;
}

const hasVoters = (village: VillageEntry) => village.voted < village.members.length;

async function mintAll(voters: readonly Voter[], villages: readonly VillageEntry[]) {
  const tokens: string[] = new Array(voters.length);
  const chunk = 1000;
  for (let i = 0; i < voters.length; i += chunk) {
    const part = voters.slice(i, i + chunk);
    const minted = await Promise.all(
      part.map((v) =>
        mint(v.villagerId, 'VILLAGER', (villages[v.village] as VillageEntry).villageId),
      ),
    );
    minted.forEach((token, k) => {
      tokens[i + k] = token;
    });
  }
  return tokens;
}

const castCheck = (body: GraphQLBody): string | undefined => {
  const cast = (
    body.data as
      | { castBallot?: { caughtUp: boolean; receipt?: { leafIndex: number | null } } }
      | undefined
  )?.castBallot;
  if (cast === undefined) return 'NO_DATA';
  if (!cast.caughtUp) return 'NOT_CAUGHT_UP';
  if (cast.receipt?.leafIndex == null) return 'RECEIPT_WITHOUT_LEAF';
  return undefined;
};

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const round = (v: number | undefined) => (v === undefined ? null : Math.round(v * 10) / 10);
  return {
    count: sorted.length,
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1)),
  };
}

function readManifest(dataDir: string): Seeded | undefined {
  const file = join(dataDir, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Seeded) : undefined;
}

function writeManifest(dataDir: string, seeded: Seeded): void {
  writeFileSync(join(dataDir, 'manifest.json'), JSON.stringify(seeded));
}

async function electionDay(baseDir: string) {
  phases.length = 0;
  const dataDir = join(baseDir, 'election');
  mkdirSync(dataDir, { recursive: true });
  const shape: VillageShape = {
    members: MEMBERS,
    perHousehold: PER_HOUSEHOLD,
    held: 0,
    sitting: true,
  };
  let seeded = REUSE ? readManifest(dataDir) : undefined;
  const reused = seeded !== undefined;
  if (reused && REPROJECT) {
    // The server's projections from scratch, on the store as seeded.
    for (const file of readdirSync(dataDir)) {
      if (/^(read-model|transparency-log)\.db/.test(file)) rmSync(join(dataDir, file));
    }
  }
  if (seeded === undefined) {
    if (existsSync(join(dataDir, 'events.db'))) {
      throw new Error(`${dataDir} already holds a store: BENCH_REUSE=1 to reuse it`);
    }
    log(`election day: seeding ${VILLAGES} villages × ${MEMBERS} members`);
    seeded = await seed(dataDir, VILLAGES, shape);
    writeManifest(dataDir, seeded);
    log(
      `seeded ${seeded.events} events in ${seconds(seeded.seedMs)} s (${Math.round(seeded.events / (seeded.seedMs / 1000))} events/s), store ${Math.round(seeded.storeMb)} MB`,
    );
  } else {
    log(
      `election day: reusing ${dataDir} (${seeded.villages.length} villages, ${seeded.events} events)`,
    );
  }
  const villages = seeded.villages;
  const last = villages.at(-1) as VillageEntry;
  const lastClerk = await mint(last.clerk, 'CLERK', last.villageId);
  const probe = async (url: string) => {
    const { meeting } = await graphql<{
      meeting: { attendance: { present: number }; items: { voting: string }[] };
    }>(url, lastClerk, MEETING_TALLY, { m: last.meetingId });
    return (
      meeting.attendance.present === last.members.length && meeting.items[0]?.voting === 'OPEN'
    );
  };

  log('starting the server and waiting for it to project the store');
  let { server, catchUp } = await startAndCatchUp(
    dataDir,
    BigInt(seeded.lastPosition),
    seeded.events,
    probe,
    [],
    !reused || REPROJECT,
  );
  log(
    `caught up in ${seconds(catchUp.caughtUpMs)} s (read model ${seconds(catchUp.readModelMs)} s, log ${seconds(catchUp.transparencyLogMs)} s; ${catchUp.eventsPerSecond} events/s), idle at ${seconds(catchUp.idleMs)} s, RSS ${Math.round(server.memory().rssMb)} MB`,
  );
  const rssAfterCatchUp = server.memory();
  let restart: CatchUp | undefined;
  if (CPU_PROF) {
    await server.stop();
    const profDir = profileDirOf(dataDir);
    rmSync(profDir, { recursive: true, force: true });
    log('restarting the caught-up server under --cpu-prof');
    ({ server, catchUp: restart } = await startAndCatchUp(
      dataDir,
      BigInt(seeded.lastPosition),
      0,
      probe,
      ['--cpu-prof', '--cpu-prof-dir', profDir],
      false,
    ));
  }

  try {
    const url = server.url;
    const available = villages.reduce((n, v) => n + v.members.length - v.voted, 0);
    // 1. One ballot per meeting, one at a time: the first command on a meeting folds its stream.
    const firstVoters = villages.filter(hasVoters).map((village) => ({
      village: villages.indexOf(village),
      villagerId: village.members[village.voted++] as string,
    }));
    const firstTokens = await mintAll(firstVoters, villages);
    const firstMs: number[] = [];
    for (const [i, voter] of firstVoters.entries()) {
      const started = performance.now();
      await graphql(url, firstTokens[i] as string, CAST_BALLOT, {
        m: (villages[voter.village] as VillageEntry).meetingId,
      });
      firstMs.push(performance.now() - started);
    }
    const firstBallots = percentiles(firstMs);
    log(`first ballot per meeting (cold): ${JSON.stringify(firstBallots)} ms`);

    // 2. Voters for the JIT warm-up and the measured run, and their tokens.
    // Each run gets `spare` voters more than it sends: autocannon may build a request it never
    // sends, and a voter must never be sent twice (ALREADY_VOTED).
    const spare = CONNECTIONS;
    const left = available - firstVoters.length - 2 * spare;
    const warmCount = Math.min(2000, Math.floor(left * 0.1));
    const measuredCount = Math.min(BALLOTS, left - warmCount);
    if (measuredCount < CONNECTIONS * 4) {
      throw new Error('too few voters left: seed more or a new store');
    }
    const warmVoters = pickVoters(villages, warmCount + spare);
    const voters = pickVoters(villages, measuredCount + spare);
    const mintStarted = performance.now();
    const warmTokens = await mintAll(warmVoters, villages);
    const tokens = await mintAll(voters, villages);
    log(
      `minted ${warmTokens.length + tokens.length} tokens in ${Math.round(performance.now() - mintStarted)} ms`,
    );
    writeManifest(dataDir, seeded);
    /** One token per village, for the queries: a villager watching the tally. */
    const watchers = await Promise.all(
      villages.map((v) => mint(v.members[0] as string, 'VILLAGER', v.villageId)),
    );

    const castRun = (list: readonly Voter[], listTokens: readonly string[]) => {
      let next = 0;
      return load({
        url,
        connections: CONNECTIONS,
        amount: list.length - spare,
        next: () => {
          // Past the end (never yet seen) it would rather repeat a voter than fail to build.
          const i = Math.min(next++, list.length - 1);
          const voter = list[i] as Voter;
          return {
            token: listTokens[i],
            query: CAST_BALLOT,
            variables: { m: (villages[voter.village] as VillageEntry).meetingId },
          };
        },
        check: castCheck,
      });
    };
    let rotation = 0;
    const trivialRun = (durationSeconds: number, connections = CONNECTIONS) =>
      load({
        url,
        connections,
        durationSeconds,
        next: () => ({ token: tokens[rotation++ % tokens.length], query: TRIVIAL }),
      });
    const tallyRun = (durationSeconds: number, connections = CONNECTIONS) =>
      load({
        url,
        connections,
        durationSeconds,
        next: () => {
          const i = Math.floor(Math.random() * villages.length);
          return {
            token: watchers[i],
            query: MEETING_TALLY,
            variables: { m: (villages[i] as VillageEntry).meetingId },
          };
        },
        check: (body) =>
          (body.data as { meeting?: { quorum?: unknown } } | undefined)?.meeting?.quorum == null
            ? 'NO_QUORUM'
            : undefined,
      });

    log(`warming up: ${warmVoters.length} ballots, ${Math.min(3, DURATION)} s of each query`);
    const warm = await castRun(warmVoters, warmTokens);
    log(
      `  warm-up castBallot: ${warm.perSecond}/s, p99 ${warm.latencyMs.p99} ms, problems ${JSON.stringify(warm.problems)}`,
    );
    await trivialRun(Math.min(3, DURATION));
    await tallyRun(Math.min(3, DURATION));

    // 3. The measurements.
    const load0 = loadavg()[0];
    log(`measuring: trivial query ${DURATION} s`);
    const trivial = await measure('trivial query', server, () => trivialRun(DURATION));
    log(`  ${summary(trivial)}`);
    log(`measuring: castBallot × ${measuredCount}`);
    const castBallot = await measure('castBallot', server, () => castRun(voters, tokens));
    log(`  ${summary(castBallot)}`);
    log(`measuring: meeting tally + quorum query ${DURATION} s`);
    const tally = await measure('tally query', server, () => tallyRun(DURATION));
    log(`  ${summary(tally)}`);
    // One connection: the latency a request has on its own, without waiting behind 63 others.
    log(`measuring: both queries on one connection, ${DURATION} s each`);
    const trivialAlone = await measure('trivial query, 1 connection', server, () =>
      trivialRun(DURATION, 1),
    );
    log(`  trivial: ${summary(trivialAlone)}`);
    const tallyAlone = await measure('tally query, 1 connection', server, () =>
      tallyRun(DURATION, 1),
    );
    log(`  tally: ${summary(tallyAlone)}`);
    const load1 = loadavg()[0];
    const rssAfterLoad = server.memory();

    // 4. Every accepted ballot is in a tally, and no more.
    let tallied = 0;
    for (const [i, village] of villages.entries()) {
      const { meeting } = await graphql<{
        meeting: { items: { tally: { for: number; against: number; abstain: number } }[] };
      }>(url, watchers[i] as string, MEETING_TALLY, { m: village.meetingId });
      const t = meeting.items[0]?.tally;
      tallied += t === undefined ? 0 : t.for + t.against + t.abstain;
    }
    const accepted =
      firstVoters.length +
      (warm.ok + (warm.problems.NOT_CAUGHT_UP ?? 0) + (warm.problems.RECEIPT_WITHOUT_LEAF ?? 0)) +
      (castBallot.ok +
        (castBallot.problems.NOT_CAUGHT_UP ?? 0) +
        (castBallot.problems.RECEIPT_WITHOUT_LEAF ?? 0));
    log(`tallies count ${tallied} ballots; ${accepted} were accepted`);

    return {
      sizes: { villages: villages.length, members: MEMBERS, perHousehold: PER_HOUSEHOLD },
      reused,
      seeding: {
        ...(reused ? { reused: true, reprojected: REPROJECT } : {}),
        events: seeded.events,
        seconds: seconds(seeded.seedMs),
        eventsPerSecond: Math.round(seeded.events / (seeded.seedMs / 1000)),
        templateDecideMs: Math.round(seeded.decideTemplateMs),
        storeMb: Math.round(seeded.storeMb),
      },
      catchUp: mapSeconds(catchUp),
      rssAfterCatchUpMb: Math.round(rssAfterCatchUp.rssMb),
      ...(restart ? { restartUnderProfiler: mapSeconds(restart) } : {}),
      firstBallotPerMeetingMs: firstBallots,
      warmUp: warm,
      trivial,
      castBallot,
      tallyQuery: tally,
      oneConnection: { trivial: trivialAlone, tallyQuery: tallyAlone },
      ratio: Math.round((castBallot.perSecond / trivial.perSecond) * 100) / 100,
      rssAfterLoadMb: Math.round(rssAfterLoad.rssMb),
      peakRssMb: Math.round(rssAfterLoad.peakRssMb),
      tallyCheck: { tallied, accepted, agrees: tallied === accepted },
      loadAverage: { before: load0, after: load1 },
      // The profile is written as the server exits.
      ...(CPU_PROF ? { cpuProfile: await server.stop().then(() => profileSummary(dataDir)) } : {}),
    };
  } finally {
    await server.stop();
  }
}

type Measured = LoadResult & {
  /** Server CPU (all its threads) per answered request, and in cores while the run lasted. */
  readonly serverCpuMsPerRequest: number;
  readonly serverCores: number;
  /** This process (autocannon) in cores: it shares the machine with the server. */
  readonly clientCores: number;
  readonly loadAverage: number;
};

/** The measured runs, as windows of the server's life: to read its CPU profile by phase. */
const phases: { name: string; window: Window }[] = [];

/** A load run with the CPU the server and the client used during it. */
async function measure(
  name: string,
  server: ServerChild,
  run: () => Promise<LoadResult>,
): Promise<Measured> {
  // The previous run's last requests drained first (a stopped client leaves them in flight).
  await server.settle(0.1, 500, 10_000);
  const serverBefore = server.cpuSeconds();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const ended = performance.now();
  phases.push({
    name,
    window: { fromMs: started - server.spawnedAt, toMs: ended - server.spawnedAt },
  });
  const wall = (ended - started) / 1000;
  const serverCpu = server.cpuSeconds() - serverBefore;
  const client = process.cpuUsage(clientBefore);
  const two = (value: number) => Math.round(value * 100) / 100;
  return {
    ...result,
    serverCpuMsPerRequest: Math.round((serverCpu * 1e6) / Math.max(1, result.requests)) / 1000,
    serverCores: two(serverCpu / wall),
    clientCores: two((client.user + client.system) / 1e6 / wall),
    loadAverage: two(loadavg()[0] as number),
  };
}

const summary = (r: LoadResult | Measured) =>
  `${r.perSecond}/s, p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} p99.9 ${r.latencyMs.p999} max ${r.latencyMs.max} ms, ${r.requests - r.ok} problems ${JSON.stringify(r.problems)}, non-2xx ${r.non2xx}, socket errors ${r.socketErrors}${'serverCores' in r ? `; server ${r.serverCpuMsPerRequest} CPU ms/request, ${r.serverCores} cores, client ${r.clientCores} cores, load ${r.loadAverage}` : ''}`;

function mapSeconds(catchUp: CatchUp) {
  return {
    ...(catchUp.offline
      ? {
          offlineReadModelSeconds: seconds(catchUp.offline.readModelMs),
          offlineTransparencyLogSeconds: seconds(catchUp.offline.transparencyLogMs),
        }
      : {}),
    readySeconds: seconds(catchUp.readyMs),
    readModelSeconds: seconds(catchUp.readModelMs),
    transparencyLogSeconds: seconds(catchUp.transparencyLogMs),
    caughtUpSeconds: seconds(catchUp.caughtUpMs),
    idleSeconds: seconds(catchUp.idleMs),
    eventsPerSecond: catchUp.eventsPerSecond,
  };
}

// ---------------------------------------------------------------------------------------------
// Memory

async function memory(baseDir: string) {
  phases.length = 0;
  const dataDir = join(baseDir, 'memory');
  mkdirSync(dataDir, { recursive: true });
  const shape: VillageShape = {
    members: MEMBERS,
    perHousehold: PER_HOUSEHOLD,
    held: MEMORY_MEETINGS,
    sitting: false,
  };
  log(
    `memory: seeding ${MEMORY_VILLAGES} villages × ${MEMBERS} villagers × ${MEMORY_MEETINGS} assemblies`,
  );
  const seeded = await seed(dataDir, MEMORY_VILLAGES, shape);
  log(
    `seeded ${seeded.events} events in ${seconds(seeded.seedMs)} s (${Math.round(seeded.events / (seeded.seedMs / 1000))} events/s), store ${Math.round(seeded.storeMb)} MB`,
  );
  const villages = seeded.villages;
  const last = villages.at(-1) as VillageEntry;
  const lastProposal = last.heldProposalIds.at(-1);
  const lastClerk = await mint(last.clerk, 'CLERK', last.villageId);
  const probe = async (url: string) => {
    if (lastProposal === undefined) return true;
    const { proposal } = await graphql<{
      proposal: { resolution: { publication: unknown } | null };
    }>(url, lastClerk, PROPOSAL_RESOLUTION, { p: lastProposal });
    return proposal.resolution?.publication != null;
  };
  log('starting the server and waiting for it to project the store');
  const { server, catchUp } = await startAndCatchUp(
    dataDir,
    BigInt(seeded.lastPosition),
    seeded.events,
    probe,
    CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profileDirOf(dataDir)] : [],
  );
  try {
    const idle = server.memory();
    log(
      `caught up in ${seconds(catchUp.caughtUpMs)} s (${catchUp.eventsPerSecond} events/s); idle: RSS ${Math.round(idle.rssMb)} MB, peak ${Math.round(idle.peakRssMb)} MB`,
    );
    let proposalQuery: Measured | undefined;
    if (lastProposal !== undefined) {
      const watchers = await Promise.all(
        villages.map((v) => mint(v.members[0] as string, 'VILLAGER', v.villageId)),
      );
      const run = (durationSeconds: number) =>
        load({
          url: server.url,
          connections: CONNECTIONS,
          durationSeconds,
          next: () => {
            const i = Math.floor(Math.random() * villages.length);
            const village = villages[i] as VillageEntry;
            const p =
              village.heldProposalIds[Math.floor(Math.random() * village.heldProposalIds.length)];
            return { token: watchers[i], query: PROPOSAL_RESOLUTION, variables: { p } };
          },
          check: (body) =>
            (body.data as { proposal?: { resolution?: unknown } } | undefined)?.proposal
              ?.resolution == null
              ? 'NO_RESOLUTION'
              : undefined,
        });
      await run(Math.min(3, DURATION));
      log(`measuring: proposal + resolution query ${DURATION} s`);
      proposalQuery = await measure('proposal query', server, () => run(DURATION));
      log(`  ${summary(proposalQuery)}`);
    }
    const after = server.memory();
    return {
      sizes: {
        villages: villages.length,
        members: MEMBERS,
        perHousehold: PER_HOUSEHOLD,
        meetingsPerVillage: MEMORY_MEETINGS,
      },
      seeding: {
        events: seeded.events,
        seconds: seconds(seeded.seedMs),
        eventsPerSecond: Math.round(seeded.events / (seeded.seedMs / 1000)),
        templateDecideMs: Math.round(seeded.decideTemplateMs),
        storeMb: Math.round(seeded.storeMb),
      },
      catchUp: mapSeconds(catchUp),
      rssIdleMb: Math.round(idle.rssMb),
      peakRssDuringCatchUpMb: Math.round(idle.peakRssMb),
      proposalQuery,
      rssAfterQueriesMb: Math.round(after.rssMb),
      readModelMb: Math.round(
        fileMb(join(dataDir, 'read-model.db')) + fileMb(join(dataDir, 'read-model.db-wal')),
      ),
      ...(CPU_PROF ? { cpuProfile: await server.stop().then(() => profileSummary(dataDir)) } : {}),
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The table

const catchUpText = (c: ReturnType<typeof mapSeconds>) =>
  `${c.offlineReadModelSeconds === undefined ? '' : `offline ${c.offlineReadModelSeconds} + ${c.offlineTransparencyLogSeconds} s, then `}${c.caughtUpSeconds} s (${c.eventsPerSecond} ev/s); HTTP from ${c.readySeconds} s, idle ${c.idleSeconds} s`;

type Row = [
  figure: string,
  value: string,
  baseline: string,
  ratio: string,
  target: string,
  met: string,
];

const yes = (ok: boolean) => (ok ? 'yes' : 'NO');
const ms = (value: number) => `${value} ms`;

type Election = Awaited<ReturnType<typeof electionDay>>;
type Memory = Awaited<ReturnType<typeof memory>>;

function electionRows(e: Election, note: string): Row[] {
  const c = e.castBallot;
  const t = e.trivial;
  const q = e.tallyQuery;
  const errors = c.requests - c.ok + c.socketErrors + c.timeouts;
  const rows: Row[] = [];
  rows.push([
    `seed election day${note}`,
    `${e.sizes.villages} × ${e.sizes.members}: ${e.seeding.events} events in ${e.seeding.seconds} s${e.reused ? ' (earlier)' : ''}`,
    '',
    '',
    '',
    '',
  ]);
  rows.push(
    [`server catch-up${note}`, catchUpText(e.catchUp), '', '', '', ''],
    [
      `first ballot per meeting (cold fold)${note}`,
      `p50 ${e.firstBallotPerMeetingMs.p50} / max ${e.firstBallotPerMeetingMs.max} ms`,
      '',
      '',
      '',
      '',
    ],
    [
      `castBallot throughput${note}`,
      `${c.perSecond}/s`,
      `server{version} ${t.perSecond}/s`,
      `${e.ratio}×`,
      `≥ ${TARGETS.castBallotPerSecond}/s, ≥ ${TARGETS.castBallotToTrivial}×`,
      yes(c.perSecond >= TARGETS.castBallotPerSecond && e.ratio >= TARGETS.castBallotToTrivial),
    ],
    [
      `castBallot p50 / p99 / p99.9${note}`,
      `${c.latencyMs.p50} / ${c.latencyMs.p99} / ${c.latencyMs.p999} ms`,
      `${t.latencyMs.p50} / ${t.latencyMs.p99} / ${t.latencyMs.p999} ms`,
      `${Math.round((c.latencyMs.p99 / t.latencyMs.p99) * 10) / 10}× (p99)`,
      `p99 ≤ ${TARGETS.castBallotP99Ms} ms`,
      yes(c.latencyMs.p99 <= TARGETS.castBallotP99Ms),
    ],
    [
      `castBallot errors${note}`,
      `${errors} of ${c.requests}${errors ? ` ${JSON.stringify(c.problems)}` : ''}`,
      `${t.requests - t.ok}`,
      '',
      '0',
      yes(errors === 0),
    ],
    [
      `server CPU per request${note}`,
      `castBallot ${c.serverCpuMsPerRequest} ms (${c.serverCores} cores)`,
      `${t.serverCpuMsPerRequest} ms (${t.serverCores} cores)`,
      `${Math.round((c.serverCpuMsPerRequest / t.serverCpuMsPerRequest) * 10) / 10}×`,
      '',
      '',
    ],
    [
      `meeting tally+quorum query p99, ${q.connections} conns${note}`,
      `${ms(q.latencyMs.p99)} (${q.perSecond}/s, p50 ${q.latencyMs.p50})`,
      ms(t.latencyMs.p99),
      `${Math.round((q.latencyMs.p99 / t.latencyMs.p99) * 10) / 10}×`,
      `≤ ${TARGETS.tallyQueryP99Ms} ms`,
      yes(q.latencyMs.p99 <= TARGETS.tallyQueryP99Ms && q.requests === q.ok),
    ],
    [
      `meeting tally+quorum query p99, 1 conn${note}`,
      `${ms(e.oneConnection.tallyQuery.latencyMs.p99)} (p50 ${e.oneConnection.tallyQuery.latencyMs.p50}, ${e.oneConnection.tallyQuery.serverCpuMsPerRequest} CPU ms)`,
      `${ms(e.oneConnection.trivial.latencyMs.p99)} (p50 ${e.oneConnection.trivial.latencyMs.p50})`,
      `${Math.round((e.oneConnection.tallyQuery.latencyMs.p99 / e.oneConnection.trivial.latencyMs.p99) * 10) / 10}×`,
      `(≤ ${TARGETS.tallyQueryP99Ms} ms)`,
      yes(e.oneConnection.tallyQuery.latencyMs.p99 <= TARGETS.tallyQueryP99Ms),
    ],
    [
      `server RSS after the load${note}`,
      `${e.rssAfterLoadMb} MB (peak ${e.peakRssMb} MB)`,
      '',
      '',
      '',
      '',
    ],
  );
  return rows;
}

function memoryRows(m: Memory, note: string): Row[] {
  const rows: Row[] = [
    [
      `seed memory store${note}`,
      `${m.sizes.villages} × ${m.sizes.members} × ${m.sizes.meetingsPerVillage} mtgs: ${m.seeding.events} events in ${m.seeding.seconds} s`,
      '',
      '',
      '',
      '',
    ],
    [`memory store catch-up${note}`, catchUpText(m.catchUp), '', '', '', ''],
    [
      `server RSS, projected and idle${note}`,
      `${m.rssIdleMb} MB (peak ${m.peakRssDuringCatchUpMb} MB)`,
      '',
      '',
      `≤ ${TARGETS.rssMb} MB`,
      yes(m.rssIdleMb <= TARGETS.rssMb),
    ],
  ];
  if (m.proposalQuery) {
    rows.push([
      `proposal+resolution query p99${note}`,
      `${ms(m.proposalQuery.latencyMs.p99)} (${m.proposalQuery.perSecond}/s)`,
      '',
      '',
      `≤ ${TARGETS.tallyQueryP99Ms} ms`,
      yes(m.proposalQuery.latencyMs.p99 <= TARGETS.tallyQueryP99Ms),
    ]);
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const header: Row = ['figure', 'value', 'baseline', 'ratio', 'target', 'met?'];
  const all = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(...all.map((row) => [...(row[i] as string)].length)),
  );
  const line = (row: Row) =>
    row.map((cell, i) => cell + ' '.repeat((widths[i] as number) - [...cell].length)).join(' | ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const baseDir = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'cunyi-county-'));
  mkdirSync(baseDir, { recursive: true });
  log(
    `data in ${baseDir}; ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const previous = existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as {
        generatedAt?: string;
        electionDay?: Election & { generatedAt?: string };
        memory?: Memory & { generatedAt?: string };
      })
    : {};
  const generatedAt = new Date().toISOString();
  let election: (Election & { generatedAt?: string }) | undefined;
  let mem: (Memory & { generatedAt?: string }) | undefined;
  try {
    if (MODE !== 'memory') election = { ...(await electionDay(baseDir)), generatedAt };
    if (MODE !== 'election') mem = { ...(await memory(baseDir)), generatedAt };
  } finally {
    if (!KEEP) rmSync(baseDir, { recursive: true, force: true });
  }
  election ??= previous.electionDay;
  mem ??= previous.memory;
  const noteOf = (section?: { generatedAt?: string }) =>
    section?.generatedAt === generatedAt || section?.generatedAt === undefined
      ? ''
      : ` (run ${section.generatedAt.slice(0, 16)})`;
  const rows = [
    ...(election ? electionRows(election, noteOf(election)) : []),
    ...(mem ? memoryRows(mem, noteOf(mem)) : []),
  ];
  printTable(rows);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    RESULTS,
    `${JSON.stringify(
      {
        generatedAt,
        commit: commit(),
        node: process.version,
        cpus: cpus().length,
        connections: CONNECTIONS,
        targets: TARGETS,
        table: rows.map(([figure, value, baseline, ratio, target, met]) => ({
          figure,
          value,
          baseline,
          ratio,
          target,
          met,
        })),
        electionDay: election,
        memory: mem,
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${RESULTS}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
