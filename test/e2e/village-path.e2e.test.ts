/**
 * The whole 四议两公开 path over real HTTP, on the sqlite store, for a village of 60 villagers:
 * roll imported from the household register (CSV) → proposal → steps 2 and 3 → assembly convened
 * with ten days' notice → opened on the frozen roll → 31 check in online → voting → 31 ballots →
 * resolution passes (A3, A4) → published → implementation reported and published. And the
 * refusals that make it trustworthy.
 */
import { meeting } from '@cunyi/domain';
import { Aggregates } from '../../src/common/aggregates';
import { commandContext } from '../../src/common/command-context';
import {
  type AppUnderTest,
  type GraphQLResponse,
  ok,
  refusal,
  startApp,
} from '../support/app-under-test';

const VILLAGE = 'qingshan';
const OTHER_VILLAGE = 'lushan';
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];

/** 60 adults in 20 households, as a village's household register exports them (with a BOM). */
function householdRegister(): string {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const household = `H${String(Math.floor(i / 3) + 1).padStart(3, '0')}`;
    const name = `${SURNAMES[i % 10]}${['明', '芳', '强'][i % 3]}${i + 1}`;
    const gender = i % 2 === 0 ? '男' : '女';
    const birth = `${1950 + (i % 40)}-0${(i % 9) + 1}-1${i % 10}`;
    return [household, name, gender, birth, '户籍'].join(',');
  });
  return `\uFEFF户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}\n`;
}

const minutes = (n: number) => n.toString(16).padStart(64, '0');

describe('a village decides a matter the whole way through 四议两公开', () => {
  let t: AppUnderTest;
  let clerk: string;
  let villagerIds: string[];
  const villagerTokens = new Map<string, string>();
  const villager = (index: number) => villagerTokens.get(villagerIds[index] as string) as string;

  const draftAndReview = async (title: string): Promise<string> => {
    const drafted = ok(
      await t.graphql<{
        draftProposal: { proposal: { id: string; step: string; pathStep: number } };
      }>(
        `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id step pathStep } } }`,
        {
          input: {
            villageId: VILLAGE,
            title,
            body: `${title}：方案经两委会商议后提交村民会议表决。`,
            matter: 'PUBLIC_WORKS',
            proposer: 'COMMITTEE',
          },
        },
        clerk,
      ),
    ).draftProposal.proposal;
    expect(drafted).toMatchObject({ step: 'PROPOSED', pathStep: 1 });
    for (const [step, members, attending, agreeing] of [
      ['JOINT_COMMITTEES', 9, 8, 7],
      ['PARTY_MEMBERS', 30, 24, 20],
    ] as const) {
      ok(
        await t.graphql(
          `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { proposal { step } } }`,
          {
            input: {
              proposalId: drafted.id,
              step,
              heldAt: t.clock.now().toISOString(),
              members,
              attending,
              agreeing,
              minutesSha256: minutes(members),
            },
          },
          clerk,
        ),
      );
    }
    return drafted.id;
  };

  const convene = async (proposalId: string): Promise<string> => {
    const now = t.clock.now().getTime();
    const response = await t.graphql<{
      conveneMeeting: { meeting: { id: string; notice: Record<string, unknown>[] } };
    }>(
      `mutation ($input: ConveneMeetingInput!) {
         conveneMeeting(input: $input) { meeting { id notice { ruleId met actual required } } } }`,
      {
        input: {
          villageId: VILLAGE,
          body: 'VILLAGERS_ASSEMBLY',
          noticeAt: new Date(now).toISOString(),
          scheduledAt: new Date(now + (10 * 24 + 1) * 3600_000).toISOString(),
          proposalIds: [proposalId],
        },
      },
      clerk,
    );
    const { meeting } = ok(response).conveneMeeting;
    const tenDays = 10 * 24 * 3600_000;
    expect(meeting.notice).toEqual([
      { ruleId: 'A2', met: true, actual: tenDays + 3600_000, required: tenDays },
    ]);
    return meeting.id;
  };

  const checkIn = (meetingId: string, token: string) =>
    t.graphql(
      `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
      { m: meetingId },
      token,
    );

  beforeAll(async () => {
    t = await startApp();
    clerk = await t.token({ subject: 'clerk-qingshan', role: 'CLERK', villageId: VILLAGE });
    ok(
      await t.graphql(
        `mutation { registerVillage(input: { villageId: "${VILLAGE}", name: "青山村", township: "安吉镇", county: "安吉县", province: "浙江省" }) { village { id } } }`,
        {},
        clerk,
      ),
    );
    const imported = ok(
      await t.graphql<{ importRoll: { households: number; villagers: number } }>(
        `mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { households villagers } }`,
        { v: VILLAGE, csv: householdRegister() },
        clerk,
      ),
    );
    expect(imported.importRoll).toEqual({ households: 20, villagers: 60 });
    const roll = ok(
      await t.graphql<{
        village: { rollSize: number; villagers: { edges: { node: { id: string } }[] } };
      }>(
        `query { village(villageId: "${VILLAGE}") { rollSize villagers(first: 100) { edges { node { id } } } } }`,
        {},
        clerk,
      ),
    );
    expect(roll.village.rollSize).toBe(60);
    villagerIds = roll.village.villagers.edges.map((edge) => edge.node.id);
    for (const id of villagerIds) {
      villagerTokens.set(id, await t.token({ subject: id, role: 'VILLAGER', villageId: VILLAGE }));
    }
  });

  afterAll(() => t.close());

  it('A3, A4: 31 of 60 attend, 31 vote FOR, and the resolution passes, is published and carried out', async () => {
    const proposalId = await draftAndReview('修建村东便民桥');
    const meetingId = await convene(proposalId);
    t.clock.advanceDays(10.1);
    const opened = ok(
      await t.graphql<{
        openMeeting: { meeting: { rollSize: number; quorum: Record<string, unknown> } };
      }>(
        `mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp meeting { rollSize quorum { required present reached ruleId citation { article } } } } }`,
        { m: meetingId },
        clerk,
      ),
    ).openMeeting.meeting;
    expect(opened.rollSize).toBe(60);
    expect(opened.quorum).toMatchObject({ required: 31, present: 0, reached: false, ruleId: 'A3' });

    for (let i = 0; i < 31; i++) ok(await checkIn(meetingId, villager(i)));
    const voting = ok(
      await t.graphql<{
        openVoting: {
          meeting: { quorum: { present: number; reached: boolean }; items: { voting: string }[] };
        };
      }>(
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { meeting { quorum { present reached } items { voting } } } }`,
        { m: meetingId },
        clerk,
      ),
    ).openVoting.meeting;
    expect(voting.quorum).toEqual({ present: 31, reached: true });
    expect(voting.items[0]?.voting).toBe('OPEN');

    const receipts: string[] = [];
    for (let i = 0; i < 31; i++) {
      const cast = ok(
        await t.graphql<{
          castBallot: { ballot: { ballotId: string; choice: string; counted: boolean | null } };
        }>(
          `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { ballot { ballotId choice counted } } }`,
          { m: meetingId },
          villager(i),
        ),
      ).castBallot.ballot;
      expect(cast).toMatchObject({ choice: 'FOR', counted: null });
      receipts.push(cast.ballotId);
    }

    // ALREADY_VOTED: a second ballot by the same villager on the same item.
    const again = await t.graphql(
      `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: AGAINST) { ballot { ballotId } } }`,
      { m: meetingId },
      villager(0),
    );
    expect(refusal(again).code).toBe('ALREADY_VOTED');

    const closed = ok(
      await t.graphql<{ closeVoting: { meeting: { items: Record<string, unknown>[] } } }>(
        `mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") {
           meeting { items { voting outcome rules tally { for against abstain notVoting attending } } } } }`,
        { m: meetingId },
        clerk,
      ),
    ).closeVoting.meeting;
    expect(closed.items[0]).toEqual({
      voting: 'CLOSED',
      outcome: 'PASSED',
      rules: ['A3', 'A4'],
      tally: { for: 31, against: 0, abstain: 0, notVoting: 0, attending: 31 },
    });

    const mine = ok(
      await t.graphql<{ myBallots: { ballotId: string; counted: boolean }[] }>(
        `query { myBallots { ballotId counted } }`,
        {},
        villager(5),
      ),
    ).myBallots;
    expect(mine).toEqual([{ ballotId: receipts[5], counted: true }]);

    const resolved = ok(
      await t.graphql<{
        proposal: { step: string; pathStep: number; resolution: Record<string, unknown> };
      }>(
        `query ($p: ID!) { proposal(proposalId: $p) { step pathStep resolution { outcome rules ruleBook judgements { ruleId met actual required of } } } }`,
        { p: proposalId },
        clerk,
      ),
    ).proposal;
    expect(resolved).toMatchObject({ step: 'RESOLVED', pathStep: 4 });
    // The proposal also records F1: steps 2 and 3 were on record before the vote.
    expect(resolved.resolution).toEqual({
      outcome: 'PASSED',
      rules: ['A3', 'A4', 'F1'],
      ruleBook: 'VCOL-2018',
      judgements: [
        { ruleId: 'A3', met: true, actual: 31, required: 31, of: 60 },
        { ruleId: 'A4', met: true, actual: 31, required: 16, of: 31 },
      ],
    });

    const publish = (mutation: string) =>
      t.graphql<Record<string, { proposal: { step: string; pathStep: number } }>>(
        `mutation ($input: PublicationInput!) { ${mutation}(input: $input) { proposal { step pathStep } } }`,
        {
          input: {
            proposalId,
            publishedAt: t.clock.now().toISOString(),
            notice: '决议公告：修建村东便民桥',
          },
        },
        clerk,
      );
    // No implementation report before the resolution is published (F1's order).
    const early = await t.graphql(
      `mutation ($p: ID!) { reportImplementation(proposalId: $p, summary: "桥已完工") { proposal { step } } }`,
      { p: proposalId },
      clerk,
    );
    expect(refusal(early).code).toBe('STEP_OUT_OF_ORDER');
    expect(ok(await publish('publishResolution')).publishResolution?.proposal.step).toBe(
      'RESOLUTION_PUBLISHED',
    );
    ok(
      await t.graphql(
        `mutation ($p: ID!) { reportImplementation(proposalId: $p, summary: "桥已完工，验收合格") { proposal { step } } }`,
        { p: proposalId },
        clerk,
      ),
    );
    expect(
      ok(await publish('publishImplementationResults')).publishImplementationResults?.proposal,
    ).toEqual({
      step: 'RESULTS_PUBLISHED',
      pathStep: 6,
    });

    const integrator = await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
    const published = ok(
      await t.graphql<{ proposals: { totalCount: number; edges: { node: { id: string } }[] } }>(
        `query { proposals(villageId: "${VILLAGE}") { totalCount edges { node { id resolution { outcome tally { for } } } } } }`,
        {},
        integrator,
      ),
    ).proposals;
    expect(published.edges.map((edge) => edge.node.id)).toEqual([proposalId]);
    const carriedOut = ok(
      await t.graphql<{ proposals: { edges: { node: { id: string } }[] } }>(
        `query { proposals(villageId: "${VILLAGE}", status: RESULTS_PUBLISHED, matter: PUBLIC_WORKS) { edges { node { id } } } }`,
        {},
        clerk,
      ),
    ).proposals;
    expect(carriedOut.edges.map((edge) => edge.node.id)).toEqual([proposalId]);
  });

  it('A3: with only 30 of 60 checked in, voting cannot open', async () => {
    const proposalId = await draftAndReview('村内道路硬化');
    const meetingId = await convene(proposalId);
    t.clock.advanceDays(10.1);
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (let i = 0; i < 30; i++) ok(await checkIn(meetingId, villager(i)));
    const refused = await t.graphql(
      `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
      { m: meetingId },
      clerk,
    );
    expect(refusal(refused)).toEqual({ code: 'QUORUM_NOT_MET', ruleId: 'A3' });
    const meeting = ok(
      await t.graphql<{
        meeting: { quorum: Record<string, unknown>; items: { voting: string }[] };
      }>(
        `query ($m: ID!) { meeting(meetingId: $m) { quorum { required present reached } items { voting } } }`,
        { m: meetingId },
        clerk,
      ),
    ).meeting;
    expect(meeting).toEqual({
      quorum: { required: 31, present: 30, reached: false },
      items: [{ voting: 'NOT_OPENED' }],
    });

    // A villager of another village cannot check in, and is told nothing about the meeting.
    const outsider = await t.token({
      subject: 'v-lushan-1',
      role: 'VILLAGER',
      villageId: OTHER_VILLAGE,
    });
    expect(refusal(await checkIn(meetingId, outsider)).code).toBe('FORBIDDEN');
    expect(refusal(await checkIn('00000000-0000-4000-8000-000000000000', outsider)).code).toBe(
      'FORBIDDEN',
    );
  });

  it('a decision stored without its proposal’s step 4 (a crash in between) reaches the proposal', async () => {
    const proposalId = await draftAndReview('村级公路路灯安装');
    const meetingId = await convene(proposalId);
    t.clock.advanceDays(10.1);
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (let i = 0; i < 31; i++) ok(await checkIn(meetingId, villager(i)));
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (let i = 0; i < 31; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { caughtUp } }`,
          { m: meetingId },
          villager(i),
        ),
      );
    }
    // Voting closes through the meeting alone, as if the process died before the proposal's
    // append: only the reactor is left to carry the decision over.
    const context = commandContext({
      subject: 'clerk-qingshan',
      role: 'CLERK',
      villageId: VILLAGE,
    });
    await t.app.get(Aggregates).execute(
      `meeting-${meetingId}`,
      meeting.meetingDecider,
      context,
      (_, at): meeting.MeetingCommand => ({
        type: 'CloseVoting',
        data: { meetingId, itemId: 'item-1', at },
      }),
    );
    const step = async () =>
      ok(
        await t.graphql<{ proposal: { step: string; resolution: { outcome: string } | null } }>(
          `query ($p: ID!) { proposal(proposalId: $p) { step resolution { outcome } } }`,
          { p: proposalId },
          clerk,
        ),
      ).proposal;
    const deadline = Date.now() + 10_000;
    while ((await step()).step !== 'RESOLVED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await step()).toEqual({ step: 'RESOLVED', resolution: { outcome: 'PASSED' } });
  });

  it('A3, A4: the rule book shows each rule with its threshold and the law’s own words', async () => {
    const integrator = await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
    const { ruleBook } = ok(
      await t.graphql<{
        ruleBook: {
          version: string;
          rules: {
            id: string;
            kind: string;
            thresholds: unknown[];
            citation: { article: string; text: string };
          }[];
        };
      }>(
        `query { ruleBook { version rules { id kind thresholds { name numerator denominator comparison } citation { article text } } } }`,
        {},
        integrator,
      ),
    );
    expect(ruleBook.version).toBe('VCOL-2018');
    const a4 = ruleBook.rules.find((rule) => rule.id === 'A4');
    expect(a4).toMatchObject({
      kind: 'LAW',
      thresholds: [{ numerator: 1, denominator: 2, comparison: 'GT' }],
      citation: { article: expect.stringContaining('22') },
    });
    expect(a4?.citation.text).toMatch(/过半数/);
    expect(ruleBook.rules.find((rule) => rule.id === 'F1')?.kind).toBe('PRACTICE');
  });

  it('a township auditor cannot cast a ballot, and an integrator sees no villager’s name', async () => {
    const auditor = await t.token({
      subject: 'auditor-1',
      role: 'TOWNSHIP_AUDITOR',
      township: '安吉镇',
    });
    const cast: GraphQLResponse = await t.graphql(
      `mutation { castBallot(meetingId: "00000000-0000-4000-8000-000000000000", itemId: "item-1", choice: FOR) { ballot { ballotId } } }`,
      {},
      auditor,
    );
    expect(refusal(cast).code).toBe('FORBIDDEN');

    const integrator = await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
    const named = await t.graphql<{ villager: { name: string | null; birthDate: string | null } }>(
      `query ($v: ID!) { villager(villagerId: $v) { name birthDate } }`,
      { v: villagerIds[0] },
      integrator,
    );
    // Refused or null by design: never the name.
    expect(JSON.stringify(named)).not.toMatch(/王明1/);
    if (named.errors === undefined)
      expect(named.data?.villager).toEqual({ name: null, birthDate: null });
  });

  it('nothing is appended when a command is refused', async () => {
    const meetingCount = async () =>
      ok(
        await t.graphql<{ meetings: { totalCount: number } }>(
          `query { meetings(villageId: "${VILLAGE}") { totalCount } }`,
          {},
          clerk,
        ),
      ).meetings.totalCount;
    const meetingsBefore = await meetingCount();
    const before = ok(
      await t.graphql<{ proposals: { totalCount: number } }>(
        `query { proposals(villageId: "${VILLAGE}") { totalCount } }`,
        {},
        clerk,
      ),
    ).proposals.totalCount;
    const bad = await t.graphql(
      `mutation { draftProposal(input: { villageId: "${VILLAGE}", title: "", body: "x", matter: OTHER, proposer: COMMITTEE }) { proposal { id } } }`,
      {},
      clerk,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });

    // One proposal, one agenda item: a second vote on it in the same sitting is not a thing.
    const proposalId = await draftAndReview('村文化礼堂修缮');
    const twice = await t.graphql(
      `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
      {
        input: {
          villageId: VILLAGE,
          body: 'VILLAGERS_ASSEMBLY',
          noticeAt: t.clock.now().toISOString(),
          scheduledAt: new Date(t.clock.now().getTime() + 11 * 24 * 3600_000).toISOString(),
          proposalIds: [proposalId, proposalId],
        },
      },
      clerk,
    );
    expect(twice.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'proposalIds',
    });
    const after = ok(
      await t.graphql<{ proposals: { totalCount: number } }>(
        `query { proposals(villageId: "${VILLAGE}") { totalCount } }`,
        {},
        clerk,
      ),
    ).proposals.totalCount;
    expect(after).toBe(before + 1);
    expect(await meetingCount()).toBe(meetingsBefore);
  });
});
