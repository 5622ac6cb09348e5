/**
 * Races over real HTTP, on the sqlite store (issue 6). Many requests against one meeting stream at
 * once: the store's optimistic-concurrency guard and the app's re-decision on a conflicting append
 * (src/common/aggregates.ts) must keep what the system must never allow — a second ballot by the
 * same villager on the same item, a ballot counted that was recorded after voting closed, an
 * attendance recorded after adjournment. The log itself (events.db) is read to prove what was
 * stored, next to what the clients were told.
 *
 * A client answered CONFLICT ("the record changed while this was being decided; try again": the
 * app's retries ran out and nothing was stored) sends its request again, as a phone client does.
 * Had a CONFLICT answer stored anything after all, the resend would be refused (ALREADY_VOTED,
 * ALREADY_CHECKED_IN) and the test would fail. Commands on one stream take turns in the server
 * (Aggregates.inTurn), so CONFLICT should not occur from one server; the resend stays for safety.
 */
import { join } from 'node:path';
import { EVENT_STORE, type EventStore, SQLITE_FILE_NAME } from '@cunyi/event-store';
import Database from 'better-sqlite3';
import {
  type AppUnderTest,
  codeOf,
  type GraphQLResponse,
  ok,
  refusal,
  startApp,
} from '../support/app-under-test';

/** A village big enough for 2,000 ballots at once (A1: all of them adults), and a smaller one. */
const BIG = { villageId: 'dacun', adults: 2_000 };
const SMALL = { villageId: 'xiaocun', adults: 300 };
/** Requests in flight at once where a whole village acts. */
const IN_FLIGHT = 200;

interface StoredRow {
  readonly position: number;
  readonly revision: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

interface Villagers {
  readonly ids: string[];
  readonly tokens: string[];
}

type CastBallotData = { castBallot: { ballot: { ballotId: string } | null } };

/**
 * A slow disk, for one stream: its appends are held until `count` of them wait (or `timeoutMs`
 * passes), then handed to the real store together, in the order they came. In-process, one
 * request's commit is otherwise faster than the next request's way through the server, so the
 * same villager's requests would never decide on the same state. Nothing else changes: each held
 * append still carries the revision its command was decided on, and the store judges it.
 * `refused` counts the appends the store turned away as WRONG_EXPECTED_REVISION. With `count` 0
 * nothing is held: the stream's appends are only counted.
 */
function holdAppends(store: EventStore, stream: string, count: number, timeoutMs = 5_000) {
  const append = store.append;
  const held: Array<() => void> = [];
  const counts = { calls: 0, held: 0, refused: 0 };
  let open = count === 0;
  const release = () => {
    open = true;
    clearTimeout(timer);
    for (const go of held.splice(0)) go();
  };
  const timer = open ? undefined : setTimeout(release, timeoutMs);
  const passOn: EventStore['append'] = (...args) =>
    append.apply(store, args).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'WRONG_EXPECTED_REVISION') counts.refused++;
      throw error;
    });
  store.append = (...args) => {
    if (args[0] !== stream) return append.apply(store, args);
    counts.calls++;
    if (open) return passOn(...args);
    counts.held++;
    return new Promise((resolve, reject) => {
      held.push(() => passOn(...args).then(resolve, reject));
      if (held.length >= count) release();
    });
  };
  return {
    counts,
    restore() {
      release();
      store.append = append;
    },
  };
}

describe('races on one meeting, on the sqlite store', () => {
  let t: AppUnderTest;
  let db: Database.Database;
  const clerks = new Map<string, string>();
  const villagers = new Map<string, Villagers>();

  /** One request; answered CONFLICT, it is sent again. */
  const send = async <T>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): Promise<GraphQLResponse<T>> => {
    for (;;) {
      const response = await t.graphql<T>(query, variables, token);
      if (codeOf(response) !== 'CONFLICT') return response;
    }
  };

  const asClerk = <T = Record<string, unknown>>(
    villageId: string,
    query: string,
    variables: Record<string, unknown> = {},
  ) => send<T>(query, variables, clerks.get(villageId) as string).then(ok);

  /** `count` calls of `one`, `inFlight` of them at any moment: they overlap, not in rounds. */
  const concurrently = async <R>(
    count: number,
    inFlight: number,
    one: (index: number) => Promise<R>,
  ): Promise<R[]> => {
    const results: R[] = new Array(count);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        results[index] = await one(index);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
    return results;
  };

  /** The meeting's stream as stored, in revision order. */
  const streamOf = (meetingId: string): StoredRow[] =>
    (
      db
        .prepare(
          'SELECT position, revision, type, data FROM events WHERE stream = ? ORDER BY revision',
        )
        .all(`meeting-${meetingId}`) as Array<Omit<StoredRow, 'data'> & { data: string }>
    ).map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));

  const villagersOf = (villageId: string) => villagers.get(villageId) as Villagers;

  /** The village and its roll, imported as one household-register CSV; every villager's token. */
  const registerVillage = async ({ villageId, adults }: { villageId: string; adults: number }) => {
    const clerk = await t.token({ subject: `clerk-${villageId}`, role: 'CLERK', villageId });
    clerks.set(villageId, clerk);
    await asClerk(
      villageId,
      'mutation ($i: RegisterVillageInput!) { registerVillage(input: $i) { caughtUp } }',
      {
        i: { villageId, name: villageId, township: '竞速镇', county: '安吉县', province: '浙江省' },
      },
    );
    // Short fields: 2,000 rows stay within ROLL_CSV_MAX_LENGTH and the 100 kb body limit.
    const rows = Array.from(
      { length: adults },
      (_, i) => `H${Math.floor(i / 4)},v${i},${i % 2 ? '男' : '女'},19${50 + (i % 40)}-01-01,户籍`,
    );
    const imported = await asClerk<{ importRoll: { villagers: number } }>(
      villageId,
      'mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }',
      { v: villageId, csv: `户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}\n` },
    );
    expect(imported.importRoll.villagers).toBe(adults);
    type Page = {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const ids: string[] = [];
    for (let after: string | null = null; ; ) {
      const page: Page = (
        await asClerk<{ village: { villagers: Page } }>(
          villageId,
          'query ($v: ID!, $a: String) { village(villageId: $v) { villagers(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }',
          { v: villageId, a: after },
        )
      ).village.villagers;
      ids.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(adults);
    const tokens = await Promise.all(
      ids.map((subject) => t.token({ subject, role: 'VILLAGER', villageId })),
    );
    villagers.set(villageId, { ids, tokens });
  };

  /**
   * Steps 1–3 on record, an assembly convened with ten days' notice (A2), and opened ten days
   * later on the frozen roll (A1: every villager of the village, all adults).
   */
  const openAssembly = async (villageId: string, title: string): Promise<string> => {
    const drafted = await asClerk<{ draftProposal: { proposal: { id: string } } }>(
      villageId,
      'mutation ($i: DraftProposalInput!) { draftProposal(input: $i) { proposal { id } } }',
      {
        i: {
          villageId,
          title,
          body: `${title}：两委商议、党员审议后提交村民会议表决。`,
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
        villageId,
        'mutation ($i: RecordDeliberationInput!) { recordDeliberation(input: $i) { caughtUp } }',
        {
          i: {
            proposalId,
            step,
            heldAt: t.clock.now().toISOString(),
            members,
            attending,
            agreeing,
            minutesSha256: 'a'.repeat(64),
          },
        },
      );
    }
    const now = t.clock.now().getTime();
    const convened = await asClerk<{
      conveneMeeting: { meeting: { id: string; notice: { ruleId: string; met: boolean }[] } };
    }>(
      villageId,
      'mutation ($i: ConveneMeetingInput!) { conveneMeeting(input: $i) { meeting { id notice { ruleId met } } } }',
      {
        i: {
          villageId,
          body: 'VILLAGERS_ASSEMBLY',
          noticeAt: new Date(now).toISOString(),
          scheduledAt: new Date(now + (10 * 24 + 1) * 3_600_000).toISOString(),
          proposalIds: [proposalId],
        },
      },
    );
    expect(convened.conveneMeeting.meeting.notice).toEqual([{ ruleId: 'A2', met: true }]);
    const meetingId = convened.conveneMeeting.meeting.id;
    t.clock.advanceDays(10.1);
    const opened = await asClerk<{ openMeeting: { meeting: { rollSize: number } } }>(
      villageId,
      'mutation ($m: ID!) { openMeeting(meetingId: $m) { meeting { rollSize } } }',
      { m: meetingId },
    );
    expect(opened.openMeeting.meeting.rollSize).toBe(villagersOf(villageId).ids.length);
    return meetingId;
  };

  const checkIn = (meetingId: string, token: string) =>
    send<{ checkIn: { caughtUp: boolean } }>(
      'mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }',
      { m: meetingId },
      token,
    );

  const castBallotQuery = (choice: string) =>
    `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: ${choice}) { ballot { ballotId } } }`;

  const castBallot = (meetingId: string, token: string, choice: string) =>
    send<CastBallotData>(castBallotQuery(choice), { m: meetingId }, token);

  /** The first `count` villagers check in online, each with their own token, concurrently. */
  const checkInFirst = async (villageId: string, meetingId: string, count: number) => {
    const { tokens } = villagersOf(villageId);
    const answers = await concurrently(count, IN_FLIGHT, (i) =>
      checkIn(meetingId, tokens[i] as string),
    );
    for (const answer of answers) ok(answer);
  };

  const openVoting = async (villageId: string, meetingId: string, present: number) => {
    const opened = await asClerk<{
      openVoting: { meeting: { quorum: { present: number; reached: boolean } } };
    }>(
      villageId,
      'mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { meeting { quorum { present reached } } } }',
      { m: meetingId },
    );
    expect(opened.openVoting.meeting.quorum).toEqual({ present, reached: true });
  };

  const closeVoting = (villageId: string, meetingId: string) =>
    asClerk<{
      closeVoting: {
        meeting: { items: { voting: string; outcome: string; tally: Record<string, number> }[] };
      };
    }>(
      villageId,
      'mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") { meeting { items { voting outcome tally { for against abstain notVoting attending } } } } }',
      { m: meetingId },
    );

  beforeAll(async () => {
    // Hundreds of mutations by one villager within a second: the per-user limit is not under test.
    t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
    db = new Database(join(t.dataDir, SQLITE_FILE_NAME), { readonly: true });
    await registerVillage(BIG);
    await registerVillage(SMALL);
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await t?.close();
  });

  it('500 concurrent ballots by one villager: exactly one is recorded, 499 are ALREADY_VOTED', async () => {
    const { villageId } = SMALL;
    const { ids, tokens } = villagersOf(villageId);
    const meetingId = await openAssembly(villageId, '村口停车场改造');
    // The meeting's default practice: a vote may not be changed before close.
    const convened = streamOf(meetingId).find((row) => row.type === 'MeetingConvened');
    expect(convened?.data.votesMayChangeBeforeClose).toBe(false);
    // A3: more than half of the 300 members present.
    await checkInFirst(villageId, meetingId, 151);
    await openVoting(villageId, meetingId, 151);

    const voter = ids[0] as string;
    // The first ballot's append is held for a second, as on a slow disk, while the other 499
    // requests arrive: none may be decided on the state without it.
    const slowDisk = holdAppends(
      t.app.get<EventStore>(EVENT_STORE),
      `meeting-${meetingId}`,
      50,
      1_000,
    );
    let answers: GraphQLResponse<CastBallotData>[];
    try {
      // All at once, and not resent on CONFLICT: each one must be answered for itself.
      answers = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          t.graphql<CastBallotData>(
            castBallotQuery(i % 2 ? 'FOR' : 'AGAINST'),
            { m: meetingId },
            tokens[0],
          ),
        ),
      );
    } finally {
      slowDisk.restore();
    }
    const accepted = answers.filter((answer) => answer.errors === undefined).map(ok);
    const refused = answers.filter((answer) => answer.errors !== undefined).map(refusal);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(499);
    expect(refused.filter((r) => r.code !== 'ALREADY_VOTED')).toEqual([]);
    const receipt = accepted[0]?.castBallot.ballot?.ballotId;
    // The others waited their turn behind the held append (Aggregates.inTurn) and were refused on
    // the state with the ballot: one append reached the store, and it was not refused.
    expect(slowDisk.counts).toEqual({ calls: 1, held: 1, refused: 0 });

    const item = (
      await asClerk<{
        meeting: {
          items: {
            tally: { for: number; against: number };
            ballots: { ballotId: string; villagerId: string }[];
          }[];
        };
      }>(
        villageId,
        'query ($m: ID!) { meeting(meetingId: $m) { items { tally { for against } ballots { ballotId villagerId } } } }',
        { m: meetingId },
      )
    ).meeting.items[0];
    expect(item?.ballots).toEqual([{ ballotId: receipt, villagerId: voter }]);
    expect((item?.tally.for ?? 0) + (item?.tally.against ?? 0)).toBe(1);

    const stored = streamOf(meetingId).filter((row) => row.type === 'BallotCast');
    expect(stored.map((row) => [row.data.villagerId, row.data.ballotId])).toEqual([
      [voter, receipt],
    ]);
  });

  it('A3, A4: 2,000 villagers check in and vote at once, and the tally is exactly 2,000', async () => {
    const { villageId, adults } = BIG;
    const { ids, tokens } = villagersOf(villageId);
    const meetingId = await openAssembly(villageId, '全村污水管网改造');
    await checkInFirst(villageId, meetingId, adults);
    await openVoting(villageId, meetingId, adults);

    const choiceOf = (i: number) => (i % 10 < 7 ? 'FOR' : i % 10 < 9 ? 'AGAINST' : 'ABSTAIN');
    const appends = holdAppends(t.app.get<EventStore>(EVENT_STORE), `meeting-${meetingId}`, 0);
    let answers: GraphQLResponse<CastBallotData>[];
    try {
      answers = await concurrently(adults, IN_FLIGHT, (i) =>
        castBallot(meetingId, tokens[i] as string, choiceOf(i)),
      );
    } finally {
      appends.restore();
    }
    // Each ballot was decided on the state the one before it left: one append each, none refused.
    expect(appends.counts).toEqual({ calls: adults, held: 0, refused: 0 });
    const receipts = answers.map((answer) => ok(answer).castBallot.ballot?.ballotId as string);
    expect(new Set(receipts).size).toBe(adults);

    const closed = (await closeVoting(villageId, meetingId)).closeVoting.meeting.items[0];
    const tally = { for: 1_400, against: 400, abstain: 200, notVoting: 0, attending: 2_000 };
    expect(closed).toEqual({ voting: 'CLOSED', outcome: 'PASSED', tally });

    const stream = streamOf(meetingId);
    const checkIns = stream.filter((row) => row.type === 'MemberCheckedIn');
    expect(checkIns).toHaveLength(adults);
    expect(new Set(checkIns.map((row) => row.data.villagerId))).toEqual(new Set(ids));
    const ballots = stream.filter((row) => row.type === 'BallotCast');
    expect(ballots).toHaveLength(adults);
    expect(new Set(ballots.map((row) => row.data.villagerId))).toEqual(new Set(ids));
    const decided = stream.find((row) => row.type === 'ItemDecided');
    expect(decided?.data.tally).toEqual(tally);
    expect(new Set(decided?.data.countedBallotIds as string[])).toEqual(new Set(receipts));
    // About 35–50 s on an idle 2-core machine; far longer while other processes load it.
  }, 180_000);

  it('ballots and check-ins racing closeVoting: only ballots stored before the close count; check-ins racing adjournment: none after it', async () => {
    const { villageId } = SMALL;
    const { ids, tokens } = villagersOf(villageId);
    const meetingId = await openAssembly(villageId, '村级活动中心选址');
    const VOTERS = 180;
    const LATE = 60;
    await checkInFirst(villageId, meetingId, VOTERS);
    await openVoting(villageId, meetingId, VOTERS);

    // Voters 0…179 cast ballots, 50 in flight; villagers 180…239 check in meanwhile. Once a
    // quarter of the ballots are answered the clerk closes voting, while the rest keep coming.
    let answered = 0;
    let closeNow = () => {};
    const closing = new Promise<void>((resolve) => {
      closeNow = resolve;
    }).then(() => closeVoting(villageId, meetingId));
    const choiceOf = (i: number) => (i % 3 ? 'FOR' : 'AGAINST');
    const [ballots, lateCheckIns, closed] = await Promise.all([
      concurrently(VOTERS, 50, async (i) => {
        const answer = await castBallot(meetingId, tokens[i] as string, choiceOf(i));
        if (++answered === VOTERS / 4) closeNow();
        return answer;
      }),
      // Attendance is open for as long as the meeting sits, voting or not.
      concurrently(LATE, 15, (i) => checkIn(meetingId, tokens[VOTERS + i] as string)),
      closing,
    ]);
    for (const answer of lateCheckIns) ok(answer);
    /** ballotId → the voter's index, for every ballot answered OK. */
    const accepted = new Map<string, number>();
    const refusedCodes: unknown[] = [];
    ballots.forEach((answer, i) => {
      if (answer.errors === undefined) {
        accepted.set(ok(answer).castBallot.ballot?.ballotId as string, i);
      } else {
        refusedCodes.push(refusal(answer).code);
      }
    });
    // The close really fell among the ballots, and refused only as VOTING_CLOSED.
    expect(accepted.size).toBeGreaterThanOrEqual(VOTERS / 4);
    expect(refusedCodes.length).toBeGreaterThan(0);
    expect(refusedCodes.filter((code) => code !== 'VOTING_CLOSED')).toEqual([]);
    expect(accepted.size + refusedCodes.length).toBe(VOTERS);

    const stream = streamOf(meetingId);
    const votingClosed = stream.find((row) => row.type === 'VotingClosed') as StoredRow;
    const cast = stream.filter((row) => row.type === 'BallotCast');
    // No ballot stored after the close; every ballot answered OK is stored, and no refused one.
    expect(cast.filter((row) => row.revision > votingClosed.revision)).toEqual([]);
    expect(cast.filter((row) => row.position > votingClosed.position)).toEqual([]);
    expect(cast).toHaveLength(accepted.size);
    expect(new Set(cast.map((row) => row.data.ballotId))).toEqual(new Set(accepted.keys()));
    // The decision, appended with the close, counts exactly the ballots answered OK.
    const decided = stream.find((row) => row.type === 'ItemDecided') as StoredRow;
    expect(decided.revision).toBe(votingClosed.revision + 1);
    expect(new Set(decided.data.countedBallotIds as string[])).toEqual(new Set(accepted.keys()));
    // Attending at close: those checked in before it (no one left), not the check-ins after it.
    const attending = stream.filter(
      (row) => row.type === 'MemberCheckedIn' && row.revision < votingClosed.revision,
    ).length;
    const forCount = [...accepted.values()].filter((i) => choiceOf(i) === 'FOR').length;
    const tally = {
      for: forCount,
      against: accepted.size - forCount,
      abstain: 0,
      notVoting: attending - accepted.size,
      attending,
    };
    expect(decided.data.tally).toEqual(tally);
    expect(closed.closeVoting.meeting.items[0]).toMatchObject({ voting: 'CLOSED', tally });
    const item = (
      await asClerk<{
        meeting: { items: { ballots: { ballotId: string; counted: boolean }[] }[] };
      }>(
        villageId,
        'query ($m: ID!) { meeting(meetingId: $m) { items { ballots { ballotId counted } } } }',
        { m: meetingId },
      )
    ).meeting.items[0];
    expect(item?.ballots).toHaveLength(accepted.size);
    expect(new Set(item?.ballots.map((ballot) => ballot.ballotId))).toEqual(
      new Set(accepted.keys()),
    );
    expect(item?.ballots.filter((ballot) => ballot.counted !== true)).toEqual([]);

    // The last villagers check in while the clerk adjourns (no vote is open, so she may): each is
    // stored before the adjournment or refused MEETING_NOT_OPEN, and the read model agrees.
    const FIRST_STRAGGLER = VOTERS + LATE;
    const STRAGGLERS = SMALL.adults - FIRST_STRAGGLER;
    let checkedIn = 0;
    let adjournNow = () => {};
    const adjourning = new Promise<void>((resolve) => {
      adjournNow = resolve;
    }).then(() =>
      asClerk(villageId, 'mutation ($m: ID!) { adjournMeeting(meetingId: $m) { caughtUp } }', {
        m: meetingId,
      }),
    );
    const [stragglers] = await Promise.all([
      concurrently(STRAGGLERS, 15, async (i) => {
        const answer = await checkIn(meetingId, tokens[FIRST_STRAGGLER + i] as string);
        if (++checkedIn === 20) adjournNow();
        return answer;
      }),
      adjourning,
    ]);
    const admitted = new Set<string>();
    const turnedAway: unknown[] = [];
    stragglers.forEach((answer, i) => {
      if (answer.errors === undefined) admitted.add(ids[FIRST_STRAGGLER + i] as string);
      else turnedAway.push(refusal(answer).code);
    });
    expect(admitted.size).toBeGreaterThanOrEqual(20);
    expect(turnedAway.length).toBeGreaterThan(0);
    expect(turnedAway.filter((code) => code !== 'MEETING_NOT_OPEN')).toEqual([]);

    const final = streamOf(meetingId);
    const adjourned = final.find((row) => row.type === 'MeetingAdjourned') as StoredRow;
    // Nothing at all is stored in the meeting after its adjournment.
    expect(final.at(-1)?.revision).toBe(adjourned.revision);
    const checkIns = final.filter((row) => row.type === 'MemberCheckedIn');
    const stragglersStored = checkIns
      .map((row) => row.data.villagerId as string)
      .filter((villagerId) => ids.indexOf(villagerId) >= FIRST_STRAGGLER);
    expect(stragglersStored).toHaveLength(admitted.size);
    expect(new Set(stragglersStored)).toEqual(admitted);
    expect(checkIns).toHaveLength(FIRST_STRAGGLER + admitted.size);
    const meeting = (
      await asClerk<{ meeting: { phase: string; attendance: { present: number } } }>(
        villageId,
        'query ($m: ID!) { meeting(meetingId: $m) { phase attendance { present } } }',
        { m: meetingId },
      )
    ).meeting;
    expect(meeting).toEqual({
      phase: 'ADJOURNED',
      attendance: { present: FIRST_STRAGGLER + admitted.size },
    });
  }, 60_000);
});
