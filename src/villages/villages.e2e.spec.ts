/**
 * The village slice over real HTTP, on the sqlite store in a temp dir: the roll imported from the
 * household register, who sees which village and whose names, the all-or-nothing import, and the
 * M2 authorisation read from the meeting's record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import type { Actor } from '../auth/actor';
import { TOKEN_SERVICE } from '../auth/auth.module';
import type { TokenService } from '../auth/tokens';
import { loadConfig } from '../config/config';
import type { GraphQLContext } from '../graphql/context';
import { VillageQueries } from './read-model/village.queries';
import { VillagerResolver } from './villages.resolver';

interface GraphQLError {
  message: string;
  extensions?: Record<string, unknown>;
}
interface Response<T> {
  data?: T | null;
  errors?: GraphQLError[];
}
// biome-ignore lint/suspicious/noExplicitAny: test responses are read by path
type Data = Record<string, any>;

const QINGSHAN = 'qingshan';
const LUSHAN = 'lushan';

/** Three households, five villagers, as a Chinese spreadsheet exports them (BOM, 户名 column). */
const REGISTER = `\uFEFF户号,户名,姓名,性别,出生日期,居住依据
001,王家,王小明,男,1958-03-12,户籍
001,,李秀兰,女,1961/7/4,户籍村民
002,,张伟,男性,1990.01.05,居住一年以上
003,陈家,陈芳,女,1985年11月2日,其他
002,,刘洋,女,2001-02-28,户籍
`;

describe('villages', () => {
  let dataDir: string;
  let app: INestApplication;
  let url: string;
  let tokens: TokenService;
  let clerk: string;
  let villagerIds: string[];

  const token = (actor: Actor) => tokens.mint(actor);

  async function graphql<T = Data>(
    query: string,
    variables: Record<string, unknown>,
    bearer: string,
  ): Promise<Response<T>> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Response<T>;
  }

  function ok<T>(response: Response<T>): T {
    if (response.errors !== undefined || response.data == null) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
    }
    return response.data;
  }

  function refused(response: Response<unknown>): GraphQLError {
    const error = response.errors?.[0];
    if (error === undefined) throw new Error(`not refused: ${JSON.stringify(response.data)}`);
    return error;
  }

  /** What a refusal tells the caller (its stack trace, shown outside production, aside). */
  const answer = ({ message, extensions }: GraphQLError) => ({ message, code: extensions?.code });

  const registerVillage = (bearer: string, villageId: string, name: string, township: string) =>
    graphql(
      `mutation ($input: RegisterVillageInput!) {
         registerVillage(input: $input) { caughtUp village { id name township rollSize } } }`,
      { input: { villageId, name, township, county: '安吉县', province: '浙江省' } },
      bearer,
    );

  const importRoll = (villageId: string, csv: string, bearer = clerk) =>
    graphql(
      `mutation ($v: ID!, $csv: String!) {
         importRoll(villageId: $v, csv: $csv) { caughtUp households villagers village { rollSize householdCount } } }`,
      { v: villageId, csv },
      bearer,
    );

  const rollSize = async (villageId: string, bearer = clerk): Promise<number> =>
    ok(
      await graphql(
        `query ($v: ID!) { village(villageId: $v) { rollSize } }`,
        { v: villageId },
        bearer,
      ),
    ).village.rollSize;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunyi-villages-'));
    app = await NestFactory.create(
      AppModule.forRoot(loadConfig({ EVENT_STORE: 'sqlite', DATA_DIR: dataDir })),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    tokens = app.get<TokenService>(TOKEN_SERVICE);
    clerk = await token({ subject: 'clerk-qingshan', role: 'CLERK', villageId: QINGSHAN });
  });

  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a clerk registers the village and imports the household register in one append', async () => {
    const registered = ok(await registerVillage(clerk, QINGSHAN, '青山村', '安吉镇'));
    expect(registered.registerVillage).toEqual({
      caughtUp: true,
      village: { id: QINGSHAN, name: '青山村', township: '安吉镇', rollSize: 0 },
    });

    const imported = ok(await importRoll(QINGSHAN, REGISTER)).importRoll;
    expect(imported).toEqual({
      caughtUp: true,
      households: 3,
      villagers: 5,
      village: { rollSize: 5, householdCount: 3 },
    });

    const { village } = ok(
      await graphql(
        `query ($v: ID!) { village(villageId: $v) {
           rollSize householdCount representativeCount committee practice { proxyCap }
           villagers(first: 10) { totalCount edges { node {
             id householdId name gender birthDate residenceBasis registeredOn removedOn } } } } }`,
        { v: QINGSHAN },
        clerk,
      ),
    );
    expect(village).toMatchObject({
      rollSize: 5,
      householdCount: 3,
      representativeCount: 0,
      committee: [],
      practice: { proxyCap: 3 },
    });
    const nodes = village.villagers.edges.map((edge: Data) => edge.node);
    expect(village.villagers.totalCount).toBe(5);
    expect(
      nodes.map((node: Data) => [node.householdId, node.name, node.gender, node.birthDate]),
    ).toEqual([
      ['001', '王小明', 'MALE', '1958-03-12'],
      ['001', '李秀兰', 'FEMALE', '1961-07-04'],
      ['002', '张伟', 'MALE', '1990-01-05'],
      ['003', '陈芳', 'FEMALE', '1985-11-02'],
      ['002', '刘洋', 'FEMALE', '2001-02-28'],
    ]);
    expect(nodes[2]).toMatchObject({ residenceBasis: 'RESIDENT_ONE_YEAR', removedOn: null });
    villagerIds = nodes.map((node: Data) => node.id);
  });

  it('pages the roll with Relay cursors', async () => {
    const page = async (after?: string) =>
      ok(
        await graphql(
          `query ($v: ID!, $after: String) { village(villageId: $v) {
             villagers(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
          { v: QINGSHAN, after },
          clerk,
        ),
      ).village.villagers;
    const first = await page();
    const second = await page(first.pageInfo.endCursor);
    const third = await page(second.pageInfo.endCursor);
    expect([first, second, third].flatMap((p) => p.edges.map((e: Data) => e.node.id))).toEqual(
      villagerIds,
    );
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it('a bad register is refused whole: every problem with its line, and nothing stored', async () => {
    const bad = `户号,姓名,性别,出生日期,居住依据
004,赵六,男,1970-01-01,户籍
004,孙七,未知,1971-01-01,户籍
005,周八,女,1972-01-01,户籍
005,吴九,女,1972-13-40,户籍
`;
    const refusal = refused(await importRoll(QINGSHAN, bad));
    expect(refusal.extensions?.code).toBe('INVALID_ROLL_CSV');
    const problems = refusal.extensions?.problems as { line: number; column?: string }[];
    expect(problems.map((problem) => problem.line)).toEqual([3, 5]);
    expect(problems.map((problem) => problem.column)).toEqual(['性别', '出生日期']);
    expect(await rollSize(QINGSHAN)).toBe(5);
    const { village } = ok(
      await graphql(
        `query ($v: ID!) { village(villageId: $v) { householdCount } }`,
        { v: QINGSHAN },
        clerk,
      ),
    );
    expect(village.householdCount).toBe(3);
  });

  it('a row the roll itself refuses is reported on its line too, and nothing is stored', async () => {
    const future = `户号,姓名,性别,出生日期,居住依据
006,郑十,男,1980-01-01,户籍
006,郑十一,男,2099-01-01,户籍
001,王小明,男,1958-03-12,户籍
`;
    const refusal = refused(await importRoll(QINGSHAN, future));
    expect(refusal.extensions?.code).toBe('INVALID_ROLL_CSV');
    const problems = refusal.extensions?.problems as { line: number; message: string }[];
    expect(problems.map((problem) => problem.line)).toEqual([3, 4]);
    expect(problems[0]?.message).toMatch(/birthDate/);
    expect(problems[1]?.message).toMatch(/already on the roll/);
    expect(await rollSize(QINGSHAN)).toBe(5);
  });

  it('importRoll is the clerk’s own village’s: NOT_FOUND before registration, FORBIDDEN elsewhere', async () => {
    const unregistered = await token({ subject: 'clerk-x', role: 'CLERK', villageId: 'nowhere' });
    expect(refused(await importRoll('nowhere', REGISTER, unregistered)).extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect(refused(await importRoll(LUSHAN, REGISTER)).extensions?.code).toBe('FORBIDDEN');
    const supervisor = await token({ subject: 's', role: 'SUPERVISOR', villageId: QINGSHAN });
    expect(refused(await importRoll(QINGSHAN, REGISTER, supervisor)).extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('the clerk keeps the roll: a household, a villager, a removal, the offices', async () => {
    ok(
      await graphql(
        `mutation { registerHousehold(input: { villageId: "${QINGSHAN}", householdId: "004", name: "赵家" }) { village { householdCount } } }`,
        {},
        clerk,
      ),
    );
    const added = ok(
      await graphql(
        `mutation ($input: RegisterVillagerInput!) { registerVillager(input: $input) {
           caughtUp villager { id householdId name gender birthDate residenceBasis } } }`,
        {
          input: {
            villageId: QINGSHAN,
            householdId: '004',
            name: '赵六',
            gender: 'MALE',
            birthDate: '1970-01-01',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
          },
        },
        clerk,
      ),
    ).registerVillager;
    expect(added).toMatchObject({
      caughtUp: true,
      villager: { householdId: '004', name: '赵六', gender: 'MALE', birthDate: '1970-01-01' },
    });
    expect(await rollSize(QINGSHAN)).toBe(6);

    const badDate = await graphql(
      `mutation { removeVillager(input: { villageId: "${QINGSHAN}", villagerId: "${added.villager.id}", reason: MOVED_AWAY, effectiveDate: "2020-1-1" }) { caughtUp } }`,
      {},
      clerk,
    );
    expect(refused(badDate).extensions?.code).toBe('BAD_USER_INPUT');
    const today = new Date().toISOString().slice(0, 10);
    const removed = ok(
      await graphql(
        `mutation { removeVillager(input: { villageId: "${QINGSHAN}", villagerId: "${added.villager.id}", reason: MOVED_AWAY, effectiveDate: "${today}" }) { village { rollSize } } }`,
        {},
        clerk,
      ),
    );
    expect(removed.removeVillager.village.rollSize).toBe(5);
    const all = ok(
      await graphql(
        `query { village(villageId: "${QINGSHAN}") { villagers(onRollOnly: false) { totalCount edges { node { id removedOn } } } } }`,
        {},
        clerk,
      ),
    ).village.villagers;
    expect(all.totalCount).toBe(6);
    expect(all.edges.at(-1).node).toEqual({ id: added.villager.id, removedOn: today });

    const [wang, li, zhang, chen, liu] = villagerIds;
    ok(
      await graphql(
        `mutation { designateHouseholdRepresentative(input: { villageId: "${QINGSHAN}", householdId: "001", villagerId: "${wang}" }) { caughtUp } }`,
        {},
        clerk,
      ),
    );
    const elect = (mutation: string, memberIds: (string | undefined)[]) =>
      graphql(
        `mutation ($input: ElectionInput!) { ${mutation}(input: $input) {
           village { representativeCount committee supervisionCommittee } } }`,
        { input: { villageId: QINGSHAN, memberIds } },
        clerk,
      );
    ok(await elect('electRepresentatives', [li, zhang, liu]));
    ok(await elect('electCommittee', [wang]));
    const offices = ok(await elect('electSupervisionCommittee', [chen])).electSupervisionCommittee;
    expect(offices.village).toEqual({
      representativeCount: 3,
      committee: [wang],
      supervisionCommittee: [chen],
    });
    // P4: a committee member's household may not sit on the supervision committee.
    const relative = await elect('electSupervisionCommittee', [li]);
    expect(refused(relative).extensions).toMatchObject({
      code: 'CONFLICT_OF_INTEREST',
      ruleId: 'P4',
    });
  });

  it('an integrator sees villages but never the roll or a name', async () => {
    const lushanClerk = await token({ subject: 'clerk-lushan', role: 'CLERK', villageId: LUSHAN });
    ok(await registerVillage(lushanClerk, LUSHAN, '庐山村', '递铺镇'));
    const integrator = await token({ subject: 'dashboard', role: 'INTEGRATOR' });
    const { village } = ok(
      await graphql(
        `query ($v: ID!) { village(villageId: $v) { name rollSize villagers { totalCount } } }`,
        { v: QINGSHAN },
        integrator,
      ),
    );
    expect(village).toEqual({ name: '青山村', rollSize: 5, villagers: null });
    const all = ok(
      await graphql('query { villages { totalCount edges { node { id } } } }', {}, integrator),
    );
    expect(all.villages.edges.map((edge: Data) => edge.node.id)).toEqual([QINGSHAN, LUSHAN]);

    // The root field villager is not the integrator's (permissions.ts); were it opened, the
    // personal fields would still be null.
    const named = await graphql(
      `query ($v: ID!) { villager(villagerId: $v) { name birthDate } }`,
      { v: villagerIds[0] },
      integrator,
    );
    if (named.errors === undefined) {
      expect(named.data?.villager).toEqual({ name: null, birthDate: null });
    } else {
      expect(refused(named).extensions?.code).toBe('FORBIDDEN');
    }
    const resolver = app.get(VillagerResolver);
    const record = app.get(VillageQueries).villager(villagerIds[0] as string);
    if (record === undefined) throw new Error('no villager');
    const context: GraphQLContext = { actor: { subject: record.id, role: 'INTEGRATOR' } };
    expect(await resolver.name(record, context)).toBeNull();
    expect(await resolver.birthDate(record, context)).toBeNull();
    expect(await resolver.gender(record, context)).toBeNull();
  });

  it('village lists follow scope: an auditor their township, a clerk their own village', async () => {
    const auditor = await token({
      subject: 'audit-1',
      role: 'TOWNSHIP_AUDITOR',
      township: '安吉镇',
    });
    const ids = async (bearer: string, township?: string) =>
      ok(
        await graphql(
          'query ($t: String) { villages(township: $t) { totalCount edges { node { id } } } }',
          { t: township },
          bearer,
        ),
      ).villages.edges.map((edge: Data) => edge.node.id);
    expect(await ids(auditor)).toEqual([QINGSHAN]);
    expect(await ids(auditor, '递铺镇')).toEqual([]);
    expect(await ids(clerk)).toEqual([QINGSHAN]);
    const integrator = await token({ subject: 'dashboard', role: 'INTEGRATOR' });
    expect(await ids(integrator, '递铺镇')).toEqual([LUSHAN]);
    // The auditor sees the roll of their township's village, names included.
    const roll = ok(
      await graphql(
        `query { village(villageId: "${QINGSHAN}") { villagers(first: 1) { edges { node { name } } } } }`,
        {},
        auditor,
      ),
    );
    expect(roll.village.villagers.edges[0].node.name).toBe('王小明');
  });

  it('a clerk of another village is refused, and is told nothing', async () => {
    const lushanClerk = await token({ subject: 'clerk-lushan', role: 'CLERK', villageId: LUSHAN });
    const village = await graphql(
      `query ($v: ID!) { village(villageId: $v) { name } }`,
      { v: QINGSHAN },
      lushanClerk,
    );
    expect(refused(village).extensions?.code).toBe('FORBIDDEN');
    const missing = await graphql(
      `query { village(villageId: "nowhere") { name } }`,
      {},
      lushanClerk,
    );
    expect(answer(refused(missing))).toEqual(answer(refused(village)));
    const villager = await graphql(
      `query ($v: ID!) { villager(villagerId: $v) { id } }`,
      { v: villagerIds[0] },
      lushanClerk,
    );
    const nobody = await graphql(
      `query { villager(villagerId: "00000000-0000-4000-8000-000000000000") { id } }`,
      {},
      lushanClerk,
    );
    expect(refused(villager).extensions?.code).toBe('FORBIDDEN');
    expect(answer(refused(nobody))).toEqual(answer(refused(villager)));
  });

  it('a villager reads their own name, but not another villager’s', async () => {
    const [self, other] = villagerIds as [string, string];
    const villager = await token({ subject: self, role: 'VILLAGER', villageId: QINGSHAN });
    const { me } = ok(
      await graphql(
        'query { me { subject role villageId township villager { id name birthDate } } }',
        {},
        villager,
      ),
    );
    expect(me).toEqual({
      subject: self,
      role: 'VILLAGER',
      villageId: QINGSHAN,
      township: '安吉镇',
      villager: { id: self, name: '王小明', birthDate: '1958-03-12' },
    });
    const neighbour = ok(
      await graphql(
        `query ($v: ID!) { villager(villagerId: $v) { id householdId name gender birthDate } }`,
        { v: other },
        villager,
      ),
    ).villager;
    expect(neighbour).toEqual({
      id: other,
      householdId: '001',
      name: null,
      gender: null,
      birthDate: null,
    });
    const roll = ok(
      await graphql(
        `query { village(villageId: "${QINGSHAN}") { rollSize villagers { totalCount } } }`,
        {},
        villager,
      ),
    );
    expect(roll.village).toEqual({ rollSize: 5, villagers: null });
    const clerkMe = ok(await graphql('query { me { role villageId villager { id } } }', {}, clerk));
    expect(clerkMe.me).toEqual({ role: 'CLERK', villageId: QINGSHAN, villager: null });
  });

  it('M2: an authorisation rests on the meeting’s recorded decision, never on the client’s word', async () => {
    const practice = ok(
      await graphql(
        `mutation { setPractice(input: { villageId: "${QINGSHAN}", fourDeliberationsRequired: false }) {
           village { practice { fourDeliberationsRequired proxyCap partyMeetingAttendance { numerator denominator comparison } } } } }`,
        {},
        clerk,
      ),
    ).setPractice.village.practice;
    expect(practice).toEqual({
      fourDeliberationsRequired: false,
      proxyCap: 3,
      partyMeetingAttendance: { numerator: 2, denominator: 3, comparison: 'GTE' },
    });
    const proposalId = ok(
      await graphql(
        `mutation { draftProposal(input: { villageId: "${QINGSHAN}", title: "授权村民代表会议", body: "授权村民代表会议决定集体收益使用。", matter: AUTHORISATION, authorisation: { matters: [COLLECTIVE_INCOME_USE] }, proposer: COMMITTEE }) { proposal { id } } }`,
        {},
        clerk,
      ),
    ).draftProposal.proposal.id;
    const now = Date.now();
    const meetingId = ok(
      await graphql(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
        {
          input: {
            villageId: QINGSHAN,
            body: 'VILLAGERS_ASSEMBLY',
            noticeAt: new Date(now - 1000).toISOString(),
            scheduledAt: new Date(now + (10 * 24 + 1) * 3600_000).toISOString(),
            proposalIds: [proposalId],
          },
        },
        clerk,
      ),
    ).conveneMeeting.meeting.id;

    const record = (meeting: string, bearer = clerk) =>
      graphql(
        `mutation ($input: RecordAuthorisationInput!) { recordAuthorisation(input: $input) { caughtUp } }`,
        {
          input: {
            villageId: QINGSHAN,
            meetingId: meeting,
            itemId: 'item-1',
          },
        },
        bearer,
      );
    expect(refused(await record(meetingId)).extensions?.code).toBe('NOT_FOUND');
    // No meeting of the village by that id: refused the same way as another village's meeting.
    expect(refused(await record('00000000-0000-4000-8000-000000000000')).extensions?.code).toBe(
      'FORBIDDEN',
    );
    const lushanClerk = await token({ subject: 'clerk-lushan', role: 'CLERK', villageId: LUSHAN });
    expect(refused(await record(meetingId, lushanClerk)).extensions?.code).toBe('FORBIDDEN');
    const revoke = await graphql(
      `mutation { revokeAuthorisation(input: { villageId: "${QINGSHAN}", authorisationId: "a-1", meetingId: "${meetingId}", itemId: "item-1" }) { caughtUp } }`,
      {},
      clerk,
    );
    expect(refused(revoke).extensions?.code).toBe('NOT_FOUND');
    const { village } = ok(
      await graphql(
        `query { village(villageId: "${QINGSHAN}") { authorisations { id } } }`,
        {},
        clerk,
      ),
    );
    expect(village.authorisations).toEqual([]);
  });
});
