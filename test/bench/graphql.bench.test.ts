/**
 * npm run bench:graphql — castBallot over real HTTP on the sqlite store, each answering only once
 * the read model shows the ballot (read-your-writes), next to a baseline measured in the same run:
 * the cheapest authenticated query (`server`), one request at a time. A 900-villager assembly,
 * everyone checked in; each ballot is a different villager's. Runs under Jest (ts-jest emits the
 * decorator metadata Nest needs, which tsx does not); not part of `npm test`.
 *
 * Each figure is the median of BENCH_ROUNDS (default 3) rounds of BALLOTS_PER_ROUND requests.
 * Writes test/bench/results/graphql.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppUnderTest, ok, startApp } from '../support/app-under-test';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BALLOTS_PER_ROUND = 300;
const VILLAGERS = BALLOTS_PER_ROUND * ROUNDS;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function rate(requests: number, one: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < requests; i++) await one(i);
  return requests / ((performance.now() - start) / 1000);
}

/** A village of VILLAGERS adults, all checked in to an assembly voting on item-1. */
async function sittingWithVotingOpen(t: AppUnderTest) {
  const clerk = await t.token({ subject: 'clerk', role: 'CLERK', villageId: 'bench' });
  const mutate = (query: string, variables: Record<string, unknown> = {}) =>
    t.graphql(query, variables, clerk).then(ok);
  await mutate(
    'mutation { registerVillage(input: { villageId: "bench", name: "基准村", township: "基准镇", county: "县", province: "省" }) { caughtUp } }',
  );
  const rows = Array.from(
    { length: VILLAGERS },
    (_, i) => `H${Math.floor(i / 3)},村民${i},${i % 2 ? '男' : '女'},1970-01-01,户籍`,
  );
  await mutate(
    'mutation ($csv: String!) { importRoll(villageId: "bench", csv: $csv) { villagers } }',
    {
      csv: `户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}`,
    },
  );
  const villagers: string[] = [];
  for (let after: string | null = null; ; ) {
    type Page = {
      village: {
        villagers: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const page: Page['village']['villagers'] = (
      (await mutate(
        'query ($a: String) { village(villageId: "bench") { villagers(first: 100, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }',
        { a: after },
      )) as Page
    ).village.villagers;
    villagers.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const drafted = (await mutate(
    'mutation { draftProposal(input: { villageId: "bench", title: "修路", body: "修村道", matter: OTHER, proposer: COMMITTEE }) { proposal { id } } }',
  )) as { draftProposal: { proposal: { id: string } } };
  const proposalId = drafted.draftProposal.proposal.id;
  for (const [step, members] of [
    ['JOINT_COMMITTEES', 9],
    ['PARTY_MEMBERS', 30],
  ] as const) {
    await mutate(
      'mutation ($i: RecordDeliberationInput!) { recordDeliberation(input: $i) { caughtUp } }',
      {
        i: {
          proposalId,
          step,
          heldAt: t.clock.now().toISOString(),
          members,
          attending: members,
          agreeing: members,
          minutesSha256: 'a'.repeat(64),
        },
      },
    );
  }
  const now = t.clock.now().getTime();
  const convened = (await mutate(
    'mutation ($i: ConveneMeetingInput!) { conveneMeeting(input: $i) { meeting { id } } }',
    {
      i: {
        villageId: 'bench',
        body: 'VILLAGERS_ASSEMBLY',
        noticeAt: new Date(now).toISOString(),
        scheduledAt: new Date(now + 11 * 86_400_000).toISOString(),
        proposalIds: [proposalId],
      },
    },
  )) as { conveneMeeting: { meeting: { id: string } } };
  const meetingId = convened.conveneMeeting.meeting.id;
  t.clock.advanceDays(11.1);
  await mutate('mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }', { m: meetingId });
  const tokens = await Promise.all(
    villagers.map((subject) => t.token({ subject, role: 'VILLAGER', villageId: 'bench' })),
  );
  for (const token of tokens) {
    ok(
      await t.graphql(
        'mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }',
        { m: meetingId },
        token,
      ),
    );
  }
  await mutate('mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }', {
    m: meetingId,
  });
  return { clerk, meetingId, tokens };
}

it('castBallot with read-your-writes, against the cheapest query', async () => {
  const t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
  try {
    const { clerk, meetingId, tokens } = await sittingWithVotingOpen(t);
    const rounds: { baseline: number; castBallot: number; caughtUp: number }[] = [];
    let next = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await rate(BALLOTS_PER_ROUND, () =>
        t.graphql('{ server { name } }', {}, clerk).then(ok),
      );
      let caughtUp = 0;
      const castBallot = await rate(BALLOTS_PER_ROUND, async () => {
        const cast = ok(
          await t.graphql<{ castBallot: { caughtUp: boolean } }>(
            'mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { caughtUp ballot { ballotId } } }',
            { m: meetingId },
            tokens[next++],
          ),
        );
        if (cast.castBallot.caughtUp) caughtUp++;
      });
      rounds.push({ baseline, castBallot, caughtUp: caughtUp / BALLOTS_PER_ROUND });
    }
    const result = {
      villagers: VILLAGERS,
      rounds,
      median: {
        baselinePerSecond: Math.round(median(rounds.map((r) => r.baseline))),
        castBallotPerSecond: Math.round(median(rounds.map((r) => r.castBallot))),
        ratio: Number(median(rounds.map((r) => r.castBallot / r.baseline)).toFixed(2)),
      },
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, 'results', 'graphql.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    process.stdout.write(`${JSON.stringify(result.median)}\n`);
    expect(rounds.every((r) => r.caughtUp === 1)).toBe(true);
  } finally {
    await t.close();
  }
}, 600_000);
