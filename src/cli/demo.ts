/**
 * `npm run demo`: a village with a proposal ready to vote on, and the tokens and curl commands to
 * vote on it against a server started on the same DATA_DIR.
 *
 * Time. A villagers' assembly opens no sooner than ten days after its notice (A2), and the notice
 * cannot be dated after the convening is recorded. So the demo tells its story on a clock it
 * sets back: the village, its roll and offices and the proposal two weeks ago, the two
 * deliberations on the next two days, the convening (notice given at once) eleven days ago for a
 * sitting an hour ago; then the real now, when the meeting opens, 21 villagers check in and
 * voting opens. Every event records the instant its story puts it at, in the order it was
 * appended, and nothing is recorded before it happened: each deliberation's heldAt precedes its
 * recording, the notice precedes the sitting by more than ten days, the meeting opens after its
 * scheduled time. The events say where they came from: the 'cli' channel, and one correlation id,
 * DEMO_CORRELATION, shared by every command of the demo, so an audit trail tells seeded history
 * from real.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { meeting as meetings, village as villages } from '@cunyi/domain';
import type { Actor } from '../auth/actor';
import { TOKEN_SERVICE } from '../auth/auth.module';
import type { TokenService } from '../auth/tokens';
import { Aggregates } from '../common/aggregates';
import type { Clock } from '../common/clock';
import { streams } from '../common/streams';
import type { AppConfig } from '../config/config';
import { MeetingCommands } from '../meetings/commands/meeting-commands';
import type { Meeting } from '../meetings/meeting.types';
import { MeetingQueries } from '../meetings/read-model/meeting.queries';
import { ProposalCommands } from '../proposals/commands/proposal-commands';
import { type RegisterVillageInput, VillageCommands } from '../villages/commands/village-commands';
import { type CliContext, openContext, requirePersistentStore } from './context';
import { CliError, type Io } from './io';
import { requireEmbeddedTokens } from './token';
import { clerkContext } from './village';

/**
 * A township of its own: the demo prints a township auditor's token, which must not open any real
 * village that shares the store.
 */
export const DEMO_VILLAGE: RegisterVillageInput = {
  villageId: 'demo-qingshan',
  name: '青山村',
  township: '青山演示镇',
  county: '安吉县',
  province: '浙江省',
};
export const DEMO_CORRELATION = 'cunyi-demo';
export const DEMO_ROLL = join('scripts', 'demo-roll.csv');
const CLERK = 'demo-clerk';
const AUDITOR = 'demo-auditor';
const INTEGRATOR = 'demo-integrator';
const ITEM = 'item-1';
/** Of the 34 villagers of age on the roll of 40: a quorum (A3) with some to spare. */
export const DEMO_PRESENT = 21;

const PROPOSAL = {
  title: '修缮村口石拱桥',
  body: '村口石拱桥桥面开裂、护栏松动。拟由村集体出资约12万元修缮，工期两个月，期间开放临时便道。方案经两委联席会议商议、党员大会审议，提交村民会议表决。',
  matter: 'PUBLIC_WORKS',
  proposer: 'COMMITTEE',
} as const;

/** Names on the demo roll (scripts/demo-roll.csv); committee and supervisors share no household (P4). */
const COMMITTEE = ['周建平', '沈国强', '吴丽萍'];
const SUPERVISION_COMMITTEE = ['范志远', '屠雅琴', '葛淑芬'];

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** The system clock, set back a whole number of days while the demo tells its past. */
class StoryClock implements Clock {
  private behind = 0;

  now(): Date {
    return new Date(Date.now() - this.behind);
  }

  daysAgo(days: number): void {
    this.behind = days * DAY;
  }
}

export async function runDemo(config: AppConfig, io: Io): Promise<void> {
  requirePersistentStore(config, 'the demo');
  requireEmbeddedTokens(config);
  const clock = new StoryClock();
  const context = await openContext(config, io, { clock });
  try {
    const existing = (await villageState(context)).village !== undefined;
    if (!existing && !(await isEmpty(context.store))) {
      throw new CliError(
        'the demo seeds an empty store only: this DATA_DIR (or EventStoreDB) already holds a ledger, and demo events could never be taken out of it',
      );
    }
    const seeded = existing ? undefined : await seed(context, clock);
    await context.projections.start();
    await context.projections.catchUp();
    const meeting = demoMeeting(context, seeded);
    io.stdout.write(await report(config, context, meeting, existing));
  } finally {
    await context.close();
  }
}

async function isEmpty(store: CliContext['store']): Promise<boolean> {
  for await (const _ of store.readAll({ maxCount: 1 })) return false;
  return true;
}

function villageState(context: CliContext): Promise<villages.VillageState> {
  return context
    .get(Aggregates)
    .load(streams.village(DEMO_VILLAGE.villageId), villages.villageDecider)
    .then(({ state }) => state);
}

async function seed(context: CliContext, clock: StoryClock): Promise<string> {
  const villageCommands = context.get(VillageCommands);
  const proposalCommands = context.get(ProposalCommands);
  const meetingCommands = context.get(MeetingCommands);
  const { villageId } = DEMO_VILLAGE;
  // A context per command: each is its own cause; the correlation ties them together.
  const clerk = () => clerkContext(villageId, CLERK, DEMO_CORRELATION);
  const sittingAt = new Date(Date.now() - HOUR).toISOString();

  clock.daysAgo(14);
  await villageCommands.registerVillage(DEMO_VILLAGE, clerk());
  await villageCommands.importRoll(villageId, await readFile(demoRollFile(), 'utf8'), clerk());
  const idsOf = idsByName(await villageState(context));
  await villageCommands.electCommittee(villageId, idsOf(COMMITTEE), clerk());
  await villageCommands.electSupervisionCommittee(villageId, idsOf(SUPERVISION_COMMITTEE), clerk());
  const { id: proposalId } = await proposalCommands.draft({ villageId, ...PROPOSAL }, clerk());

  const deliberations = [
    { daysAgo: 13, step: 'JOINT_COMMITTEES', members: 7, attending: 7, agreeing: 6 },
    { daysAgo: 12, step: 'PARTY_MEMBERS', members: 26, attending: 22, agreeing: 20 },
  ] as const;
  for (const { daysAgo, step, ...counts } of deliberations) {
    clock.daysAgo(daysAgo);
    const heldAt = new Date(clock.now().getTime() - 2 * HOUR).toISOString();
    const minutes = `${DEMO_VILLAGE.name} ${step} ${heldAt}: ${PROPOSAL.title}`;
    await proposalCommands.recordDeliberation(
      { proposalId, step, heldAt, ...counts, minutesSha256: sha256(minutes) },
      clerk(),
    );
  }

  clock.daysAgo(11);
  const { id: meetingId } = await meetingCommands.convene(
    {
      villageId,
      body: 'VILLAGERS_ASSEMBLY',
      quorumBasis: 'MEMBERS',
      noticeAt: clock.now().toISOString(),
      scheduledAt: sittingAt,
      proposalIds: [proposalId],
    },
    clerk(),
  );

  clock.daysAgo(0);
  await meetingCommands.open(meetingId, clerk());
  const { state } = await context
    .get(Aggregates)
    .load(streams.meeting(meetingId), meetings.meetingDecider);
  // The clerk records them at the door, in the order of the roll.
  for (const villagerId of [...(state.roll?.members ?? [])].slice(0, DEMO_PRESENT)) {
    await meetingCommands.checkIn(meetingId, villagerId, 'IN_PERSON', clerk());
  }
  await meetingCommands.openVoting(meetingId, ITEM, clerk());
  return meetingId;
}

function idsByName(state: villages.VillageState): (names: readonly string[]) => string[] {
  const byName = new Map([...state.villagers.values()].map((v) => [v.name, v.villagerId]));
  return (names) =>
    names.map((name) => byName.get(name) ?? fail(`${name} is not on the demo roll (${DEMO_ROLL})`));
}

/** The demo's meeting: the one just seeded, or the first with the demo proposal on its agenda. */
function demoMeeting(context: CliContext, seeded: string | undefined): Meeting {
  const queries = context.get(MeetingQueries);
  const id =
    seeded ??
    queries
      .meetingsOf(DEMO_VILLAGE.villageId, { first: 100 })
      .edges.map((edge) => edge.node)
      .find((meeting) => meeting.items[0]?.title === PROPOSAL.title)?.id;
  const meeting = id === undefined ? undefined : queries.meeting(id);
  if (meeting === undefined) {
    throw new CliError(
      `village ${DEMO_VILLAGE.villageId} is in this store, but not the demo's meeting (was an earlier demo interrupted?): run the demo on an empty DATA_DIR`,
    );
  }
  return meeting;
}

async function report(
  config: AppConfig,
  context: CliContext,
  meeting: Meeting,
  existing: boolean,
): Promise<string> {
  const village = await villageState(context);
  const { state } = await context
    .get(Aggregates)
    .load(streams.meeting(meeting.id), meetings.meetingDecider);
  const voted = state.items.get(ITEM)?.ballots ?? new Map();
  const waiting = [...state.present].filter((id) => !voted.has(id)).slice(0, 2);
  const supervisor = village.supervisionIds[0];
  const nameOf = (id: string) => village.villagers.get(id)?.name ?? id;
  const tokens = context.get<TokenService>(TOKEN_SERVICE);
  const { villageId, township } = DEMO_VILLAGE;
  const token = (actor: Actor) => tokens.mint(actor);
  const lines: [string, string, string][] = [
    ['CLERK_TOKEN', await token({ subject: CLERK, role: 'CLERK', villageId }), `clerk ${CLERK}`],
    ...(await Promise.all(
      waiting.map(
        async (id, index): Promise<[string, string, string]> => [
          index === 0 ? 'VILLAGER_TOKEN' : `VILLAGER${index + 1}_TOKEN`,
          await token({ subject: id, role: 'VILLAGER', villageId }),
          `villager ${nameOf(id)}, checked in, not yet voted`,
        ],
      ),
    )),
    ...(supervisor === undefined
      ? []
      : [
          [
            'SUPERVISOR_TOKEN',
            await token({ subject: supervisor, role: 'SUPERVISOR', villageId }),
            `supervision committee member ${nameOf(supervisor)}`,
          ] as [string, string, string],
        ]),
    [
      'AUDITOR_TOKEN',
      await token({ subject: AUDITOR, role: 'TOWNSHIP_AUDITOR', township }),
      `township auditor of ${township}`,
    ],
    [
      'INTEGRATOR_TOKEN',
      await token({ subject: INTEGRATOR, role: 'INTEGRATOR' }),
      'integrator: public data only',
    ],
  ];
  const item = meeting.items[0];
  const where =
    config.eventStore === 'sqlite'
      ? `DATA_DIR ${config.dataDir}`
      : `the ${config.eventStore} store`;
  const url = `http://localhost:${config.port}/graphql`;
  const quorum = meeting.quorum;
  return [
    existing
      ? `The demo village ${villageId} is already in ${where}; fresh tokens for it.`
      : `Seeded the demo village ${villageId} into ${where}.`,
    `${DEMO_VILLAGE.name} (${township}, ${DEMO_VILLAGE.county}, ${DEMO_VILLAGE.province}): ${village.villagers.size} villagers in ${village.households.size} households.`,
    `Meeting ${meeting.id}: villagers' assembly, ${meeting.phase}; ${meeting.attendance.present} present` +
      (quorum === null
        ? ''
        : `, quorum ${quorum.required} of ${quorum.of} members ${quorum.reached ? 'reached' : 'not reached'}`) +
      `; ${item?.itemId} 「${item?.title}」 voting ${item?.voting}${item?.tally ? `, ${item.tally.for} for, ${item.tally.against} against, ${item.tally.abstain} abstaining` : ''}.`,
    ...(waiting.length < 2
      ? [`(Only ${waiting.length} villagers checked in have not voted yet.)`]
      : []),
    '',
    'Tokens (valid 8 hours):',
    ...lines.map(([name, value, who]) => `export ${name}=${value}   # ${who}`),
    `export MEETING_ID=${meeting.id}`,
    '',
    'Start the server on this store (npm run start:prod, same environment); a server already',
    'running on it shows the demo only after its own next write. Then:',
    '',
    '# a villager votes, online, as themselves',
    `curl -s ${url} -H 'content-type: application/json' \\`,
    `  -H "authorization: Bearer $VILLAGER_TOKEN" \\`,
    `  -d '{"query":"mutation($m: ID!) { castBallot(meetingId: $m, itemId: \\"${ITEM}\\", choice: FOR) { caughtUp ballot { ballotId counted } } }","variables":{"m":"'$MEETING_ID'"}}'`,
    '',
    '# the meeting: attendance, quorum and the live tally',
    `curl -s ${url} -H 'content-type: application/json' \\`,
    `  -H "authorization: Bearer $CLERK_TOKEN" \\`,
    `  -d '{"query":"query($m: ID!) { meeting(meetingId: $m) { phase attendance { present } quorum { required present of reached } items { itemId title voting tally { for against abstain notVoting } } } }","variables":{"m":"'$MEETING_ID'"}}'`,
    '',
    '# once enough have voted, the clerk closes voting: the item is decided, the proposal resolved',
    `curl -s ${url} -H 'content-type: application/json' \\`,
    `  -H "authorization: Bearer $CLERK_TOKEN" \\`,
    `  -d '{"query":"mutation($m: ID!) { closeVoting(meetingId: $m, itemId: \\"${ITEM}\\") { meeting { items { outcome tally { for against abstain notVoting } } } } }","variables":{"m":"'$MEETING_ID'"}}'`,
    '',
  ].join('\n');
}

/** scripts/demo-roll.csv, found from here whether running from src/ (tests) or dist/src/. */
function demoRollFile(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, DEMO_ROLL);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new CliError(`cannot find ${DEMO_ROLL}`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fail(message: string): never {
  throw new CliError(message);
}
