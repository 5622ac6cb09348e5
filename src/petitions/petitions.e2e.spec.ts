/**
 * Petitions (联名提议) over real HTTP, on the sqlite store: who may sign is frozen from the roll of
 * the day (villagers 18 and over), A2's threshold of one tenth, one signature per villager, and
 * who may do and see what.
 */
import {
  type AppUnderTest,
  codeOf,
  ok,
  startApp,
  TestClock,
} from '../../test/support/app-under-test';
import { seedVillage } from '../../test/support/seed-village';

const VILLAGE = 'qiaotou';
const OTHER_VILLAGE = 'xiyuan';
const HOUSEHOLDS = 5;
const ADULTS = 20;

const PETITION_FIELDS = `id villageId purpose signatories subject signatureCount thresholdReached
  thresholdReachedAt closedAt startedAt signedByMe signers
  threshold { ruleId required of citation { article } }`;

interface PetitionView {
  id: string;
  signatureCount: number;
  thresholdReached: boolean;
  thresholdReachedAt: string | null;
  closedAt: string | null;
  signedByMe: boolean | null;
  signers: string[] | null;
  threshold: { ruleId: string; required: number; of: number; citation: { article: string } };
}

describe('petitions', () => {
  let app: AppUnderTest;
  let villagerIds: string[] = [];
  let outsiderId: string;
  const villagerId = (index: number) => villagerIds[index] as string;
  const villager = (index: number) =>
    app.token({ subject: villagerId(index), role: 'VILLAGER', villageId: VILLAGE });
  const clerk = () => app.token({ subject: 'clerk-qiaotou', role: 'CLERK', villageId: VILLAGE });

  const start = async (bearer: string, villageId = VILLAGE) =>
    app.graphql<{ startPetition: { petition: PetitionView } }>(
      `mutation ($input: StartPetitionInput!) { startPetition(input: $input) { caughtUp petition { ${PETITION_FIELDS} } } }`,
      {
        input: {
          villageId,
          purpose: 'CONVENE_ASSEMBLY',
          signatories: 'VILLAGERS',
          subject: '请召开村民会议，商议村东道路修缮',
        },
      },
      bearer,
    );

  const sign = (petitionId: string, bearer: string) =>
    app.graphql<{ signPetition: { petition: PetitionView } }>(
      `mutation ($p: ID!) { signPetition(petitionId: $p) { caughtUp petition { ${PETITION_FIELDS} } } }`,
      { p: petitionId },
      bearer,
    );

  const read = (petitionId: string, bearer: string) =>
    app.graphql<{ petition: PetitionView }>(
      `query ($p: ID!) { petition(petitionId: $p) { ${PETITION_FIELDS} } }`,
      { p: petitionId },
      bearer,
    );

  beforeAll(async () => {
    app = await startApp({}, { clock: TestClock.onSystemTime() });
    villagerIds = await seedVillage(app, {
      villageId: VILLAGE,
      township: '递铺镇',
      adults: ADULTS,
      minors: 2,
      households: HOUSEHOLDS,
    });
    [outsiderId = ''] = await seedVillage(app, {
      villageId: OTHER_VILLAGE,
      township: '孝丰镇',
      adults: 3,
      minors: 0,
      households: HOUSEHOLDS,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('a petition to convene the assembly, signed by 10 of 20 adults', () => {
    let petitionId: string;

    beforeAll(async () => {
      const started = ok(await start(await villager(0))).startPetition.petition;
      petitionId = started.id;
      expect(started).toMatchObject({
        signatureCount: 0,
        thresholdReached: false,
        signedByMe: false,
        signers: null,
        // A2: one tenth of the 20 villagers aged 18 and over; the two children are not counted.
        threshold: {
          ruleId: 'A2',
          required: 2,
          of: ADULTS,
          citation: { article: expect.any(String) },
        },
      });
    });

    it('reaches its A2 threshold and keeps counting', async () => {
      const first = ok(await sign(petitionId, await villager(0))).signPetition.petition;
      expect(first).toMatchObject({ signatureCount: 1, thresholdReached: false, signedByMe: true });
      let last = first;
      for (let index = 1; index < 10; index++) {
        last = ok(await sign(petitionId, await villager(index))).signPetition.petition;
      }
      expect(last).toMatchObject({
        signatureCount: 10,
        thresholdReached: true,
        thresholdReachedAt: expect.any(String),
        threshold: { ruleId: 'A2' },
      });
    });

    it('refuses a second signature by the same villager: ALREADY_SIGNED', async () => {
      const again = await sign(petitionId, await villager(3));
      expect(codeOf(again)).toBe('ALREADY_SIGNED');
      expect(again.errors?.[0]?.extensions?.ruleId).toBe('A2');
    });

    it('refuses a child, who is not among those who may sign: NOT_ON_ROLL', async () => {
      expect(codeOf(await sign(petitionId, await villager(ADULTS)))).toBe('NOT_ON_ROLL');
    });

    it('shows who signed to the village’s officers only', async () => {
      const byClerk = ok(await read(petitionId, await clerk())).petition;
      expect(byClerk.signedByMe).toBeNull();
      expect(byClerk.signers).toEqual(Array.from({ length: 10 }, (_, index) => villagerId(index)));
      const auditor = await app.token({
        subject: 'auditor-dipu',
        role: 'TOWNSHIP_AUDITOR',
        township: '递铺镇',
      });
      expect(ok(await read(petitionId, auditor)).petition.signers).toHaveLength(10);
      const signer = ok(await read(petitionId, await villager(1))).petition;
      expect(signer).toMatchObject({ signedByMe: true, signers: null, signatureCount: 10 });
      const bystander = ok(await read(petitionId, await villager(15))).petition;
      expect(bystander).toMatchObject({ signedByMe: false, signers: null });
    });

    it('refuses a villager of another village, to sign or to read: FORBIDDEN', async () => {
      const outsider = await app.token({
        subject: outsiderId,
        role: 'VILLAGER',
        villageId: OTHER_VILLAGE,
      });
      expect(codeOf(await sign(petitionId, outsider))).toBe('FORBIDDEN');
      expect(codeOf(await read(petitionId, outsider))).toBe('FORBIDDEN');
      const otherAuditor = await app.token({
        subject: 'auditor-xiaofeng',
        role: 'TOWNSHIP_AUDITOR',
        township: '孝丰镇',
      });
      expect(codeOf(await read(petitionId, otherAuditor))).toBe('FORBIDDEN');
    });

    it('refuses an integrator, to read or to list: FORBIDDEN', async () => {
      const integrator = await app.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
      expect(codeOf(await read(petitionId, integrator))).toBe('FORBIDDEN');
      const listed = await app.graphql(
        `query ($v: ID!) { petitions(villageId: $v) { totalCount } }`,
        { v: VILLAGE },
        integrator,
      );
      expect(codeOf(listed)).toBe('FORBIDDEN');
    });

    it('refuses a clerk who would sign: FORBIDDEN', async () => {
      expect(codeOf(await sign(petitionId, await clerk()))).toBe('FORBIDDEN');
    });

    it('refuses to take a name off once the threshold is reached', async () => {
      const withdrawn = await app.graphql(
        `mutation ($p: ID!) { withdrawSignature(petitionId: $p) { caughtUp } }`,
        { p: petitionId },
        await villager(2),
      );
      expect(codeOf(withdrawn)).toBe('THRESHOLD_ALREADY_REACHED');
    });
  });

  it('lets a villager withdraw a signature before the threshold, and the clerk close it', async () => {
    const petitionId = ok(await start(await villager(5))).startPetition.petition.id;
    ok(await sign(petitionId, await villager(5)));
    const withdrawn = ok(
      await app.graphql<{ withdrawSignature: { petition: PetitionView } }>(
        `mutation ($p: ID!) { withdrawSignature(petitionId: $p) { petition { signatureCount signedByMe } } }`,
        { p: petitionId },
        await villager(5),
      ),
    ).withdrawSignature.petition;
    expect(withdrawn).toEqual({ signatureCount: 0, signedByMe: false });
    const closed = ok(
      await app.graphql<{ closePetition: { petition: PetitionView } }>(
        `mutation ($p: ID!) { closePetition(petitionId: $p, reason: "无人联署，逾期作废") { petition { closedAt } } }`,
        { p: petitionId },
        await clerk(),
      ),
    ).closePetition.petition;
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(codeOf(await sign(petitionId, await villager(6)))).toBe('PETITION_CLOSED');
  });

  it('lists the village’s petitions, a page at a time', async () => {
    const bearer = await villager(7);
    const list = async (after: string | null) =>
      ok(
        await app.graphql<{
          petitions: {
            totalCount: number;
            edges: { node: { id: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        }>(
          `query ($v: ID!, $after: String) { petitions(villageId: $v, first: 1, after: $after) {
             totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { v: VILLAGE, after },
          bearer,
        ),
      ).petitions;
    const first = await list(null);
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await list(first.pageInfo.endCursor);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.edges[0]?.node.id).not.toBe(first.edges[0]?.node.id);
  });

  it('judges a recall petition under E5: it names the member and the reasons', async () => {
    const bearer = await villager(8);
    const recall = (input: Record<string, unknown>) =>
      app.graphql<{ startPetition: { petition: PetitionView & { recall: unknown } } }>(
        `mutation ($input: StartPetitionInput!) { startPetition(input: $input) {
           petition { recall { memberId reasons } threshold { ruleId required of } } } }`,
        {
          input: {
            villageId: VILLAGE,
            purpose: 'RECALL',
            signatories: 'VILLAGERS',
            subject: '罢免村委会委员',
            ...input,
          },
        },
        bearer,
      );
    const unnamed = await recall({});
    expect(codeOf(unnamed)).toBe('INVALID_INPUT');
    expect(unnamed.errors?.[0]?.extensions?.ruleId).toBe('E5');
    const demand = { memberId: 'committee-2', reasons: '未经村民会议决定发放误工补贴' };
    const started = ok(await recall({ recall: demand })).startPetition.petition;
    // E5: one fifth of the 20 voters.
    expect(started).toEqual({
      recall: demand,
      threshold: { ruleId: 'E5', required: 4, of: ADULTS },
    });
  });

  it('refuses a malformed village id before any command: BAD_USER_INPUT', async () => {
    expect(codeOf(await start(await villager(0), 'Not A Village'))).toBe('BAD_USER_INPUT');
  });
});
