/**
 * The township overview over real HTTP, on the sqlite store, with the app's clock moved by the
 * test: two villages of 递铺镇 (and one of 孝丰镇, which must not show) hold meetings, resolve,
 * publish or fail to, and leave petitions standing; the auditor reads what is overdue as of the
 * end of a period or now. PETITION_DUTY_DAYS is set to 10 here, to show it is the config's.
 */
import {
  type AppUnderTest,
  codeOf,
  ok,
  startApp,
  TestClock,
} from '../../../test/support/app-under-test';
import { seedVillage } from '../../../test/support/seed-village';

const TOWNSHIP = '递铺镇';
const OTHER_TOWNSHIP = '孝丰镇';
const VILLAGE = 'qiaotou';
const NEIGHBOUR = 'dongcun';
const ELSEWHERE = 'xiyuan';
const DAY = 24 * 3600_000;
const sha256 = (n: number) => n.toString(16).padStart(64, '0');

/** The first quarter of 2026, China Standard Time. */
const Q1 = { from: '2026-01-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' };
/** March 2026, China Standard Time. */
const MARCH = { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' };

const OVERVIEW = `query ($township: String!, $period: PeriodInput!) {
  townshipOverview(township: $township, period: $period) {
    township period { from to } asOf villages
    meetings { held quorumReached quorumMissed quorumLost quorumNeverReached }
    resolutions { matter outcome count }
    overduePublications { villageId proposalId title matter outcome resolvedAt dueBy major publishedAt }
    standingPetitionDuties { villageId petitionId purpose duty ruleId dueSince dueBy }
    openCorrectionOrders { villageId proposalId orderId legalBasis orderedAt }
    rules { flag ruleId ruleBook setting days citation { article } }
  } }`;

interface Overview {
  township: string;
  period: { from: string; to: string };
  asOf: string;
  villages: number;
  meetings: Record<string, number>;
  resolutions: { matter: string; outcome: string; count: number }[];
  overduePublications: Record<string, unknown>[];
  standingPetitionDuties: Record<string, unknown>[];
  openCorrectionOrders: Record<string, unknown>[];
  rules: Record<string, unknown>[];
}

describe('townshipOverview', () => {
  let app: AppUnderTest;
  const villagers = new Map<string, string[]>();
  const clerk = (villageId: string) =>
    app.token({ subject: `clerk-${villageId}`, role: 'CLERK', villageId });
  const villager = (villageId: string, index: number) =>
    app.token({
      subject: villagers.get(villageId)?.[index] as string,
      role: 'VILLAGER',
      villageId,
    });
  const auditor = (township = TOWNSHIP) =>
    app.token({ subject: `auditor-${township}`, role: 'TOWNSHIP_AUDITOR', township });
  const now = () => app.clock.now().toISOString();

  const overview = async (period: { from: string; to: string }, township = TOWNSHIP) =>
    ok(
      await app.graphql<{ townshipOverview: Overview }>(
        OVERVIEW,
        { township, period },
        await auditor(),
      ),
    ).townshipOverview;

  /** A proposal through steps 1–3, ready to be tabled. */
  async function draft(villageId: string, title: string, matter: string): Promise<string> {
    const bearer = await clerk(villageId);
    const id = ok(
      await app.graphql<{ draftProposal: { proposal: { id: string } } }>(
        `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
        { input: { villageId, title, body: `${title}。`, matter, proposer: 'COMMITTEE' } },
        bearer,
      ),
    ).draftProposal.proposal.id;
    for (const [step, members, attending, agreeing] of [
      ['JOINT_COMMITTEES', 9, 8, 7],
      ['PARTY_MEMBERS', 30, 24, 20],
    ] as const) {
      ok(
        await app.graphql(
          `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
          {
            input: {
              proposalId: id,
              step,
              heldAt: now(),
              members,
              attending,
              agreeing,
              minutesSha256: sha256(members),
            },
          },
          bearer,
        ),
      );
    }
    return id;
  }

  /** A villagers' assembly with ten days' notice (and an hour). */
  async function convene(villageId: string, proposalIds: string[], petitionId?: string) {
    const at = app.clock.now().getTime();
    return ok(
      await app.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
        {
          input: {
            villageId,
            body: 'VILLAGERS_ASSEMBLY',
            noticeAt: new Date(at).toISOString(),
            scheduledAt: new Date(at + 10 * DAY + 3600_000).toISOString(),
            proposalIds,
            ...(petitionId === undefined ? {} : { petitionId }),
          },
        },
        await clerk(villageId),
      ),
    ).conveneMeeting.meeting.id;
  }

  const onMeeting = async (mutation: string, meetingId: string, bearer: string, extra = '') =>
    ok(
      await app.graphql(
        `mutation ($m: ID!) { ${mutation}(meetingId: $m${extra}) { caughtUp } }`,
        { m: meetingId },
        bearer,
      ),
    );

  /** Voting opened and closed on an item, with these villagers voting FOR. */
  async function vote(villageId: string, meetingId: string, itemId: string, voters: number[]) {
    const item = `, itemId: "${itemId}"`;
    await onMeeting('openVoting', meetingId, await clerk(villageId), item);
    for (const index of voters) {
      await onMeeting(
        'castBallot',
        meetingId,
        await villager(villageId, index),
        `${item}, choice: FOR`,
      );
    }
  }
  const close = async (villageId: string, meetingId: string, itemId: string) =>
    onMeeting('closeVoting', meetingId, await clerk(villageId), `, itemId: "${itemId}"`);

  /** A petition to convene the assembly, signed by one villager: A2's tenth of five. */
  async function petitionWithDuty(index: number): Promise<string> {
    const bearer = await villager(VILLAGE, index);
    const id = ok(
      await app.graphql<{ startPetition: { petition: { id: string } } }>(
        `mutation ($input: StartPetitionInput!) { startPetition(input: $input) { petition { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            purpose: 'CONVENE_ASSEMBLY',
            signatories: 'VILLAGERS',
            subject: '请召开村民会议',
          },
        },
        bearer,
      ),
    ).startPetition.petition.id;
    const signed = ok(
      await app.graphql<{ signPetition: { petition: { thresholdReached: boolean } } }>(
        `mutation ($p: ID!) { signPetition(petitionId: $p) { petition { thresholdReached } } }`,
        { p: id },
        bearer,
      ),
    ).signPetition.petition;
    expect(signed.thresholdReached).toBe(true);
    return id;
  }

  // The record the specs read, built in the order it happens.
  let publicWorks: string; // major (M1), never published
  let incomeUse: string; // major (M1), published at once
  let ordinary: string; // ordinary, never published
  let longStanding: string; // petition whose duty stands from day 0
  let recent: string; // petition whose duty stands from day 10
  let resolvedAt: string;

  beforeAll(async () => {
    app = await startApp({ PETITION_DUTY_DAYS: '10' }, { clock: new TestClock() });
    const seeds = [
      { villageId: VILLAGE, township: TOWNSHIP, adults: 5 },
      { villageId: NEIGHBOUR, township: TOWNSHIP, adults: 3 },
      { villageId: ELSEWHERE, township: OTHER_TOWNSHIP, adults: 3 },
    ];
    for (const seed of seeds) {
      villagers.set(
        seed.villageId,
        await seedVillage(app, { ...seed, minors: 0, households: seed.adults }),
      );
    }

    // Day 0 (2026-03-02): petitions, proposals, and four assemblies convened.
    longStanding = await petitionWithDuty(0);
    const discharged = await petitionWithDuty(1);
    const closed = await petitionWithDuty(2);
    ok(
      await app.graphql(
        `mutation ($p: ID!) { closePetition(petitionId: $p, reason: "已召开两委会答复") { caughtUp } }`,
        { p: closed },
        await clerk(VILLAGE),
      ),
    );
    publicWorks = await draft(VILLAGE, '修建村东便民桥', 'PUBLIC_WORKS');
    incomeUse = await draft(VILLAGE, '集体收益用于老年食堂', 'COLLECTIVE_INCOME_USE');
    ordinary = await draft(VILLAGE, '村文化礼堂开放时间', 'OTHER');
    const lost = await draft(VILLAGE, '村道绿化养护', 'OTHER');
    const neighbours = await draft(NEIGHBOUR, '村口路灯', 'OTHER');
    const elsewhere = await draft(ELSEWHERE, '村口路灯', 'OTHER');
    const held = await convene(VILLAGE, [publicWorks, incomeUse, ordinary], discharged);
    const lostQuorum = await convene(VILLAGE, [lost]);
    const empty = await convene(NEIGHBOUR, [neighbours]);
    const otherTownship = await convene(ELSEWHERE, [elsewhere]);

    // Day 10.1 (2026-03-12): a fresh petition; the assemblies sit.
    app.clock.advanceDays(10.1);
    resolvedAt = now();
    recent = await petitionWithDuty(3);
    for (const [villageId, meetingId] of [
      [VILLAGE, held],
      [VILLAGE, lostQuorum],
      [NEIGHBOUR, empty],
      [ELSEWHERE, otherTownship],
    ] as const) {
      await onMeeting('openMeeting', meetingId, await clerk(villageId));
    }
    // Three of five: a quorum (A3), and every item passes (A4).
    for (const index of [0, 1, 2]) {
      await onMeeting('checkIn', held, await villager(VILLAGE, index));
      await onMeeting('checkIn', lostQuorum, await villager(VILLAGE, index));
    }
    for (const itemId of ['item-1', 'item-2', 'item-3']) {
      await vote(VILLAGE, held, itemId, [0, 1, 2]);
      await close(VILLAGE, held, itemId);
    }
    // Two leave before the close: the item is decided QUORUM_LOST.
    await vote(VILLAGE, lostQuorum, 'item-1', [0, 1, 2]);
    await onMeeting('leaveMeeting', lostQuorum, await villager(VILLAGE, 0));
    await onMeeting('leaveMeeting', lostQuorum, await villager(VILLAGE, 1));
    await close(VILLAGE, lostQuorum, 'item-1');
    ok(
      await app.graphql(
        `mutation ($input: PublicationInput!) { publishResolution(input: $input) { caughtUp } }`,
        { input: { proposalId: incomeUse, publishedAt: now(), notice: '决议公告：老年食堂' } },
        await clerk(VILLAGE),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('judges a past period as of its end: nothing was held or due by then', async () => {
    const past = await overview({
      from: '2026-02-01T00:00:00+08:00',
      to: '2026-03-10T00:00:00+08:00',
    });
    expect(past).toMatchObject({
      township: TOWNSHIP,
      period: { from: '2026-01-31T16:00:00.000Z', to: '2026-03-09T16:00:00.000Z' },
      asOf: '2026-03-09T16:00:00.000Z',
      villages: 2,
      meetings: { held: 0, quorumReached: 0, quorumMissed: 0 },
      resolutions: [],
      overduePublications: [],
      standingPetitionDuties: [],
      openCorrectionOrders: [],
    });
  });

  it('A3: counts the meetings held, which reached quorum and which missed it (lost, never reached)', async () => {
    const march = await overview(MARCH);
    expect(march.asOf).toBe(resolvedAt);
    // The 孝丰镇 assembly is not the township's: three meetings, not four.
    expect(march.meetings).toEqual({
      held: 3,
      quorumReached: 1,
      quorumMissed: 2,
      quorumLost: 1,
      quorumNeverReached: 1,
    });
    expect(march.resolutions).toEqual([
      { matter: 'COLLECTIVE_INCOME_USE', outcome: 'PASSED', count: 1 },
      { matter: 'PUBLIC_WORKS', outcome: 'PASSED', count: 1 },
      { matter: 'OTHER', outcome: 'PASSED', count: 1 },
      { matter: 'OTHER', outcome: 'QUORUM_LOST', count: 1 },
    ]);
    expect(march.rules).toEqual([
      {
        flag: 'OVERDUE_PUBLICATION',
        ruleId: 'P2',
        ruleBook: 'VCOL-2018',
        setting: null,
        days: null,
        citation: { article: 'Art. 30(3)' },
      },
      {
        flag: 'PETITION_DUTY_STANDING',
        ruleId: 'PRACTICE',
        ruleBook: null,
        setting: 'PETITION_DUTY_DAYS',
        days: 10,
        citation: null,
      },
      {
        flag: 'OPEN_CORRECTION_ORDER',
        ruleId: 'C2',
        ruleBook: 'VCOL-2018',
        setting: null,
        days: null,
        citation: { article: 'Art. 27(2)(3)' },
      },
    ]);
  });

  it("P2: a major matter's resolution not published within 3 days is flagged overdue", async () => {
    app.clock.advanceDays(1);
    expect((await overview(MARCH)).overduePublications).toEqual([]);
    app.clock.advanceDays(3);
    // The one published at once is not; the ordinary matter is not, before its quarter ends.
    expect((await overview(MARCH)).overduePublications).toEqual([
      {
        villageId: VILLAGE,
        proposalId: publicWorks,
        title: '修建村东便民桥',
        matter: 'PUBLIC_WORKS',
        outcome: 'PASSED',
        resolvedAt,
        dueBy: new Date(Date.parse(resolvedAt) + 3 * DAY).toISOString(),
        major: true,
        publishedAt: null,
      },
    ]);
  });

  it('PRACTICE: a petition whose duty stood longer than PETITION_DUTY_DAYS is flagged', async () => {
    // Day 14: the day-0 petition stood 14 days; the day-10 one 4; one was discharged by the
    // assembly convened on it, one closed.
    const { standingPetitionDuties } = await overview(MARCH);
    expect(standingPetitionDuties).toEqual([
      {
        villageId: VILLAGE,
        petitionId: longStanding,
        purpose: 'CONVENE_ASSEMBLY',
        duty: 'CONVENE_VILLAGERS_ASSEMBLY',
        ruleId: 'A2',
        dueSince: '2026-03-02T01:00:00.000Z',
        dueBy: '2026-03-12T01:00:00.000Z',
      },
    ]);
    expect(standingPetitionDuties.map((duty) => duty.petitionId)).not.toContain(recent);
  });

  it('C2: an open correction order is listed, and no longer once a new assembly decision lifts it', async () => {
    const orderedAt = now();
    const ordered = ok(
      await app.graphql<{ orderCorrection: { proposal: { suspension: { orderId: string } } } }>(
        `mutation ($p: ID!) { orderCorrection(proposalId: $p, legalBasis: "违反《村民委员会组织法》第二十四条") {
           proposal { suspension { orderId } } } }`,
        { p: incomeUse },
        await auditor(),
      ),
    ).orderCorrection.proposal.suspension;
    const order = {
      villageId: VILLAGE,
      proposalId: incomeUse,
      orderId: ordered.orderId,
      legalBasis: '违反《村民委员会组织法》第二十四条',
      orderedAt,
    };
    expect((await overview(MARCH)).openCorrectionOrders).toEqual([order]);

    // The villagers decide again, ten days on; the new passed resolution lifts the order.
    const again = await convene(VILLAGE, [incomeUse]);
    app.clock.advanceDays(10.1);
    await onMeeting('openMeeting', again, await clerk(VILLAGE));
    for (const index of [0, 1, 2])
      await onMeeting('checkIn', again, await villager(VILLAGE, index));
    await vote(VILLAGE, again, 'item-1', [0, 1, 2]);
    await close(VILLAGE, again, 'item-1');
    expect((await overview(MARCH)).openCorrectionOrders).toEqual([]);
    // As of a day before the new decision it still stood.
    const before = { from: MARCH.from, to: '2026-03-20T00:00:00+08:00' };
    expect((await overview(before)).openCorrectionOrders).toEqual([order]);
  });

  it('P2: an ordinary matter is overdue once its quarter has ended unpublished', async () => {
    app.clock.advanceDays(7);
    const quarter = await overview(Q1);
    expect(quarter.asOf).toBe('2026-03-31T16:00:00.000Z');
    // By quarter end: the bridge (due in 3 days), the re-decided income use (its new resolution,
    // unpublished, due in 3 days) and the ordinary matter (due by the quarter's last instant).
    expect(
      quarter.overduePublications.map(({ proposalId, major, dueBy }) => ({
        proposalId,
        major,
        dueBy,
      })),
    ).toEqual([
      { proposalId: publicWorks, major: true, dueBy: expect.any(String) },
      { proposalId: incomeUse, major: true, dueBy: expect.any(String) },
      { proposalId: ordinary, major: false, dueBy: '2026-03-31T15:59:59.999Z' },
    ]);
  });

  it('refuses an auditor of another township: FORBIDDEN', async () => {
    const response = await app.graphql(
      OVERVIEW,
      { township: TOWNSHIP, period: MARCH },
      await auditor(OTHER_TOWNSHIP),
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
  });

  it('refuses a clerk, even of a village of the township: FORBIDDEN', async () => {
    const response = await app.graphql(
      OVERVIEW,
      { township: TOWNSHIP, period: MARCH },
      await clerk(VILLAGE),
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
  });

  it('refuses a reversed period, one over a year long, or a date without a time: BAD_USER_INPUT', async () => {
    const bearer = await auditor();
    for (const [period, field] of [
      [{ from: MARCH.to, to: MARCH.from }, 'period.to'],
      [{ from: '2025-01-01T00:00:00+08:00', to: '2026-03-01T00:00:00+08:00' }, 'period.to'],
      [{ from: '2026-03-01', to: '2026-04-01T00:00:00+08:00' }, 'period.from'],
    ] as const) {
      const response = await app.graphql(OVERVIEW, { township: TOWNSHIP, period }, bearer);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
