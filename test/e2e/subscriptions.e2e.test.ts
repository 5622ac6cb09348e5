/**
 * Live updates over graphql-ws (issue 4): a meeting's attendance, live tally and outcome reach a
 * subscriber as they change, and a village's published resolutions (决议公开) reach its
 * subscribers. Tokens travel in connectionParams, exactly as in the Authorization header; a
 * subscription without one is refused UNAUTHENTICATED, one outside the caller's village FORBIDDEN.
 */
import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { type AppUnderTest, ok, startApp } from '../support/app-under-test';

const VILLAGE = 'shishan';
const OTHER_VILLAGE = 'lushan';
const TOWNSHIP = '递铺街道';
const ADULTS = 5;
const WAIT_MS = 5_000;
/**
 * graphql-ws does not acknowledge a subscription: an update published before the server has
 * subscribed is not sent. After the connection is acknowledged, this long is left for it.
 */
const SUBSCRIBE_MS = 150;

/** Five adults in two households: quorum (A3) is 3 present, a pass (A4) more than half of them. */
function householdRegister(): string {
  const rows = ['王建国', '李秀英', '张伟', '刘芳', '陈静'].map((name, i) =>
    [
      `H${i < 3 ? '001' : '002'}`,
      name,
      i % 2 === 0 ? '男' : '女',
      `19${60 + i}-05-1${i}`,
      '户籍',
    ].join(','),
  );
  return `户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}\n`;
}

interface MeetingUpdate {
  attendance: { present: number };
  items: {
    itemId: string;
    voting: string;
    outcome: string | null;
    tally: { for: number; against: number; attending: number } | null;
  }[];
}

/** What one subscription has received so far, and whether (and how) it ended. */
class Received<T> {
  readonly results: FormattedExecutionResult<Record<string, T>, unknown>[] = [];
  readonly failures: unknown[] = [];
  completed = false;
  /** Resolves once the socket is acknowledged and the server has had a moment to subscribe. */
  ready: Promise<void> = Promise.resolve();

  get data(): T[] {
    return this.results.flatMap((result) => Object.values(result.data ?? {}));
  }

  get errors() {
    return this.results.flatMap((result) => [...(result.errors ?? [])]);
  }

  /** Waits until `done` holds of what was received, and fails with what was received if not. */
  async until(done: (received: this) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!done(this)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; received ${JSON.stringify({
            results: this.results,
            failures: this.failures.map(String),
            completed: this.completed,
          })}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('subscriptions over graphql-ws', () => {
  let t: AppUnderTest;
  let wsUrl: string;
  let clerk: string;
  let villagerIds: string[];
  const villagerTokens: string[] = [];
  const clients: Client[] = [];

  const connect = (token?: string): Client => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    return client;
  };

  const subscribe = <T>(
    client: Client,
    query: string,
    variables: Record<string, unknown>,
  ): Received<T> => {
    const received = new Received<T>();
    received.ready = new Promise<void>((resolve) => {
      client.on('connected', () => void setTimeout(resolve, SUBSCRIBE_MS));
    });
    client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (result) => void received.results.push(result),
        error: (error) => void received.failures.push(error),
        complete: () => {
          received.completed = true;
        },
      },
    );
    return received;
  };

  const MEETING_UPDATED = `subscription ($m: ID!) {
    meetingUpdated(meetingId: $m) {
      attendance { present }
      items { itemId voting outcome tally { for against attending } }
    } }`;

  const draftReviewedProposal = async (title: string): Promise<string> => {
    const id = ok(
      await t.graphql<{ draftProposal: { proposal: { id: string } } }>(
        `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            title,
            body: `${title}：两委会商议后提交村民会议表决。`,
            matter: 'PUBLIC_WORKS',
            proposer: 'COMMITTEE',
          },
        },
        clerk,
      ),
    ).draftProposal.proposal.id;
    for (const [step, members, attending, agreeing] of [
      ['JOINT_COMMITTEES', 7, 7, 6],
      ['PARTY_MEMBERS', 12, 10, 8],
    ] as const) {
      ok(
        await t.graphql(
          `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
          {
            input: {
              proposalId: id,
              step,
              heldAt: t.clock.now().toISOString(),
              members,
              attending,
              agreeing,
              minutesSha256: members.toString(16).padStart(64, 'a'),
            },
          },
          clerk,
        ),
      );
    }
    return id;
  };

  /** Convened with ten days' notice (A2) and opened on the frozen roll. */
  const openedMeeting = async (proposalId: string): Promise<string> => {
    const now = t.clock.now().getTime();
    const meetingId = ok(
      await t.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
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
      ),
    ).conveneMeeting.meeting.id;
    t.clock.advanceDays(10.1);
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    return meetingId;
  };

  beforeAll(async () => {
    t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
    wsUrl = `${t.url.replace(/^http/, 'ws')}/graphql`;
    clerk = await t.token({ subject: 'clerk-shishan', role: 'CLERK', villageId: VILLAGE });
    ok(
      await t.graphql(
        `mutation { registerVillage(input: { villageId: "${VILLAGE}", name: "石山村", township: "${TOWNSHIP}", county: "安吉县", province: "浙江省" }) { caughtUp } }`,
        {},
        clerk,
      ),
    );
    ok(
      await t.graphql(
        `mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }`,
        { v: VILLAGE, csv: householdRegister() },
        clerk,
      ),
    );
    villagerIds = ok(
      await t.graphql<{ village: { villagers: { edges: { node: { id: string } }[] } } }>(
        `query { village(villageId: "${VILLAGE}") { villagers(first: 10) { edges { node { id } } } } }`,
        {},
        clerk,
      ),
    ).village.villagers.edges.map((edge) => edge.node.id);
    expect(villagerIds).toHaveLength(ADULTS);
    for (const id of villagerIds) {
      villagerTokens.push(await t.token({ subject: id, role: 'VILLAGER', villageId: VILLAGE }));
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await t?.close();
  });

  it('meetingUpdated: attendance rises with each check-in, the live tally with each ballot, then the outcome', async () => {
    const proposalId = await draftReviewedProposal('村口垃圾分类亭');
    const meetingId = await openedMeeting(proposalId);
    // A villager of the village follows the sitting on their phone; the clerk on the office screen.
    const watchers = [clerk, villagerTokens[4] as string].map((token) =>
      subscribe<MeetingUpdate>(connect(token), MEETING_UPDATED, { m: meetingId }),
    );
    await Promise.all(watchers.map((watcher) => watcher.ready));

    for (let i = 0; i < 4; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
          { m: meetingId },
          villagerTokens[i],
        ),
      );
      for (const watcher of watchers) {
        await watcher.until(
          (r) => r.data.some((update) => update.attendance.present === i + 1),
          `attendance.present = ${i + 1}`,
        );
      }
    }
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    const choices = ['FOR', 'FOR', 'AGAINST', 'FOR'] as const;
    for (const [i, choice] of choices.entries()) {
      ok(
        await t.graphql(
          `mutation ($m: ID!, $c: Choice!) { castBallot(meetingId: $m, itemId: "item-1", choice: $c) { caughtUp } }`,
          { m: meetingId, c: choice },
          villagerTokens[i],
        ),
      );
      const cast = choices.slice(0, i + 1);
      const expected = {
        for: cast.filter((c) => c === 'FOR').length,
        against: cast.filter((c) => c === 'AGAINST').length,
      };
      for (const watcher of watchers) {
        await watcher.until(
          (r) =>
            r.data.some(
              (update) =>
                update.items[0]?.tally?.for === expected.for &&
                update.items[0]?.tally?.against === expected.against,
            ),
          `tally ${JSON.stringify(expected)} after ballot ${i + 1}`,
        );
      }
    }
    ok(
      await t.graphql(
        `mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (const watcher of watchers) {
      await watcher.until(
        (r) => r.data.some((update) => update.items[0]?.outcome != null),
        'the outcome',
      );
      expect(watcher.errors).toEqual([]);
      expect(watcher.failures).toEqual([]);

      // One update per change, in order: present 1, 2, 3, 4 — never down, never skipping.
      const present = watcher.data.map((update) => update.attendance.present);
      expect(present.slice(0, 4)).toEqual([1, 2, 3, 4]);
      expect(new Set(present.slice(4))).toEqual(new Set([4]));
      // The live tally while voting is open: FOR 1, 2, 2, 3 as the ballots arrive.
      const open = watcher.data.filter((update) => update.items[0]?.voting === 'OPEN');
      expect(open.map((update) => update.items[0]?.tally?.for)).toEqual([0, 1, 2, 2, 3]);
      expect(open.map((update) => update.items[0]?.tally?.against)).toEqual([0, 0, 0, 1, 1]);
      const last = watcher.data.at(-1);
      expect(last?.items[0]).toEqual({
        itemId: 'item-1',
        voting: 'CLOSED',
        outcome: 'PASSED',
        tally: { for: 3, against: 1, attending: 4 },
      });
    }
  });

  it('meetingUpdated shows each subscriber what they may see: ballots to the clerk, none to a villager; an integrator is refused', async () => {
    const proposalId = await draftReviewedProposal('村口停车场划线');
    const meetingId = await openedMeeting(proposalId);
    const WITH_BALLOTS = `subscription ($m: ID!) {
      meetingUpdated(meetingId: $m) { items { tally { for } ballots { villagerId choice } } } }`;
    type Update = { items: { tally: { for: number } | null; ballots: unknown[] | null }[] };
    // An integrator reads tallies on published resolutions, not the sitting (permissions.ts).
    const integrator = await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
    const dashboard = subscribe<Update>(connect(integrator), WITH_BALLOTS, { m: meetingId });
    await dashboard.until((r) => r.completed || r.failures.length > 0, 'a refusal');
    expect(refusalCode(dashboard)).toBe('FORBIDDEN');
    const [officer, neighbour] = [clerk, villagerTokens[4] as string].map((token) =>
      subscribe<Update>(connect(token), WITH_BALLOTS, { m: meetingId }),
    ) as [Received<Update>, Received<Update>];
    await Promise.all([officer, neighbour].map((watcher) => watcher.ready));
    for (let i = 0; i < 3; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
          { m: meetingId },
          villagerTokens[i],
        ),
      );
    }
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (let i = 0; i < 3; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { caughtUp } }`,
          { m: meetingId },
          villagerTokens[i],
        ),
      );
    }
    for (const watcher of [officer, neighbour]) {
      await watcher.until(
        (r) => r.data.some((update) => update.items[0]?.tally?.for === 3),
        'the third ballot',
      );
      expect(watcher.errors).toEqual([]);
    }
    expect(officer.data.at(-1)?.items[0]?.ballots).toHaveLength(3);
    for (const watcher of [neighbour]) {
      expect(watcher.data.flatMap((update) => update.items.map((item) => item.ballots))).toEqual(
        watcher.data.map(() => null),
      );
      const json = JSON.stringify(watcher.results);
      for (const voter of villagerIds.slice(0, 3)) expect(json).not.toContain(voter);
    }
  });

  it('a subscription without a token is refused UNAUTHENTICATED; so is one with a bad token', async () => {
    for (const token of [undefined, 'not.a.jwt']) {
      const received = subscribe<MeetingUpdate>(connect(token), MEETING_UPDATED, {
        m: '00000000-0000-4000-8000-000000000000',
      });
      await received.until(
        (r) => r.errors.length > 0 || r.failures.length > 0 || r.completed,
        'a refusal',
      );
      await received.until((r) => r.completed || r.failures.length > 0, 'the end of the stream');
      expect(received.data).toEqual([]);
      expect(refusalCode(received)).toBe('UNAUTHENTICATED');
    }
  });

  it('a villager of another village is refused FORBIDDEN, and learns nothing of whether the meeting exists', async () => {
    const proposalId = await draftReviewedProposal('村道路灯维修');
    const meetingId = await openedMeeting(proposalId);
    const outsider = await t.token({
      subject: 'v-lushan-1',
      role: 'VILLAGER',
      villageId: OTHER_VILLAGE,
    });
    const refusals: unknown[] = [];
    for (const m of [meetingId, '00000000-0000-4000-8000-000000000000']) {
      const received = subscribe<MeetingUpdate>(connect(outsider), MEETING_UPDATED, { m });
      await received.until((r) => r.completed || r.failures.length > 0, 'a refusal');
      expect(received.data).toEqual([]);
      expect(refusalCode(received)).toBe('FORBIDDEN');
      refusals.push(received.errors.map((error) => error.message));
    }
    expect(refusals[0]).toEqual(refusals[1]);

    // Nor does a refused subscriber receive anything once the meeting moves.
    const refused = subscribe<MeetingUpdate>(connect(outsider), MEETING_UPDATED, { m: meetingId });
    await refused.until((r) => r.completed || r.failures.length > 0, 'a refusal');
    ok(
      await t.graphql(
        `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
        { m: meetingId },
        villagerTokens[0],
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(refused.data).toEqual([]);
  });

  it('decisionPublished: the village’s subscribers receive the resolution when it is published', async () => {
    const proposalId = await draftReviewedProposal('修缮村文化礼堂');
    const meetingId = await openedMeeting(proposalId);
    for (let i = 0; i < 3; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`,
          { m: meetingId },
          villagerTokens[i],
        ),
      );
    }
    ok(
      await t.graphql(
        `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );
    for (let i = 0; i < 3; i++) {
      ok(
        await t.graphql(
          `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { caughtUp } }`,
          { m: meetingId },
          villagerTokens[i],
        ),
      );
    }
    ok(
      await t.graphql(
        `mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: meetingId },
        clerk,
      ),
    );

    const DECISION_PUBLISHED = `subscription ($v: ID!) {
      decisionPublished(villageId: $v) { id villageId step resolution { outcome } } }`;
    const villager = subscribe<Record<string, unknown>>(
      connect(villagerTokens[3]),
      DECISION_PUBLISHED,
      { v: VILLAGE },
    );
    const outsider = subscribe<Record<string, unknown>>(
      connect(await t.token({ subject: 'clerk-lushan', role: 'CLERK', villageId: OTHER_VILLAGE })),
      DECISION_PUBLISHED,
      { v: VILLAGE },
    );
    await outsider.until((r) => r.completed || r.failures.length > 0, 'a refusal');
    expect(refusalCode(outsider)).toBe('FORBIDDEN');
    await villager.ready;

    ok(
      await t.graphql(
        `mutation ($input: PublicationInput!) { publishResolution(input: $input) { caughtUp } }`,
        {
          input: {
            proposalId,
            publishedAt: t.clock.now().toISOString(),
            notice: '决议公告：修缮村文化礼堂',
          },
        },
        clerk,
      ),
    );
    await villager.until((r) => r.data.length > 0, 'the published decision');
    expect(villager.errors).toEqual([]);
    expect(villager.data).toEqual([
      {
        id: proposalId,
        villageId: VILLAGE,
        step: 'RESOLUTION_PUBLISHED',
        resolution: { outcome: 'PASSED' },
      },
    ]);
    expect(outsider.data).toEqual([]);
  });

  it('a mutation sent over the same socket is guarded and answered as over HTTP, refusal codes included', async () => {
    const proposalId = await draftReviewedProposal('村级水塘清淤');
    const meetingId = await openedMeeting(proposalId);
    const CHECK_IN = `mutation ($m: ID!) { checkIn(meetingId: $m) { meeting { attendance { present } } } }`;
    const overSocket = async (token: string | undefined) => {
      const received = subscribe<unknown>(connect(token), CHECK_IN, { m: meetingId });
      await received.until((r) => r.completed || r.failures.length > 0, 'the answer');
      expect(received.failures).toEqual([]);
      return received;
    };
    expect(refusalCode(await overSocket(undefined))).toBe('UNAUTHENTICATED');
    expect(refusalCode(await overSocket('not.a.jwt'))).toBe('UNAUTHENTICATED');
    expect(refusalCode(await overSocket(clerk))).toBe('FORBIDDEN');
    expect((await overSocket(villagerTokens[0])).data).toEqual([
      { meeting: { attendance: { present: 1 } } },
    ]);
    // The same villager again: the domain's refusal, with its stable code, as over HTTP.
    const overHttp = await t.graphql(CHECK_IN, { m: meetingId }, villagerTokens[0]);
    expect(overHttp.errors?.[0]?.extensions?.code).toBe('ALREADY_CHECKED_IN');
    const again = await overSocket(villagerTokens[0]);
    expect(again.errors.map(({ message, extensions }) => ({ message, extensions }))).toEqual(
      overHttp.errors?.map(({ message, extensions }) => ({ message, extensions })),
    );
  });
});

/** The code of a refused subscription: from the errors of its one result, or of its error message. */
function refusalCode(received: Received<unknown>): unknown {
  const fromResult = received.errors[0]?.extensions?.code;
  if (fromResult !== undefined) return fromResult;
  const failure = received.failures[0];
  if (Array.isArray(failure))
    return (failure[0] as { extensions?: { code?: unknown } })?.extensions?.code;
  throw new Error(
    `no refusal code: ${JSON.stringify({ results: received.results, failures: received.failures.map(String) })}`,
  );
}
