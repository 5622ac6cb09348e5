/**
 * Who may do what (issue 4 §4, DOMAIN.md "Who uses it"), checked over real HTTP for every mutation
 * the running schema has and every role. The table below is written from the rules, not from
 * src/auth/permissions.ts: a mutation added to the schema without a decision here fails the test.
 *
 * Arguments are generated from the introspected argument types; where a mutation targets an
 * object, a real one of the seeded village is substituted, so that an allowed role reaches the
 * handler and cannot be refused for "no such object in your scope" (which answers FORBIDDEN too,
 * to reveal nothing). With every target seeded (and the supervisor's token naming a member of the
 * supervision committee, whom countersigning requires) no allowed call is left ambiguous: each
 * must be answered by something other than FORBIDDEN or UNAUTHENTICATED, with no weaker check.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/actor';
import { type AppUnderTest, type GraphQLResponse, ok, startApp } from '../support/app-under-test';

const VILLAGE = 'qingshan';
const TOWNSHIP = '安吉镇';
const OTHER_VILLAGE = 'lushan';
const OTHER_TOWNSHIP = '孝丰镇';
const PRIVATE_VILLAGE = 'xishan';

const ROLES = ['VILLAGER', 'CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR', 'INTEGRATOR'] as const;
const V: Role = 'VILLAGER';
const C: Role = 'CLERK';
const S: Role = 'SUPERVISOR';
const A: Role = 'TOWNSHIP_AUDITOR';

/** Issue 4 §4, mutation by mutation. The integrator writes nothing, so it is in no row. */
const MAY_CALL: Readonly<Record<string, readonly Role[]>> = {
  // VILLAGER: petitions, checking in online, their own ballots.
  startPetition: [V],
  signPetition: [V],
  withdrawSignature: [V],
  checkIn: [V],
  leaveMeeting: [V],
  castBallot: [V],
  // CLERK: the roll.
  registerVillage: [C],
  setPractice: [C],
  registerHousehold: [C],
  registerVillager: [C],
  removeVillager: [C],
  designateHouseholdRepresentative: [C],
  electRepresentatives: [C],
  electCommittee: [C],
  electSupervisionCommittee: [C],
  recordAuthorisation: [C],
  revokeAuthorisation: [C],
  importRoll: [C],
  // CLERK: proposals.
  draftProposal: [C],
  recordDeliberation: [C],
  publishResolution: [C],
  reportImplementation: [C],
  publishImplementationResults: [C],
  withdrawProposal: [C],
  // CLERK: meetings.
  conveneMeeting: [C],
  openMeeting: [C],
  recordAttendance: [C],
  recordDeparture: [C],
  openVoting: [C],
  recordPaperBallot: [C],
  closeVoting: [C],
  adjournMeeting: [C],
  // CLERK: petitions.
  closePetition: [C],
  // CLERK: plans.
  draftPlan: [C],
  proposePlanVersion: [C],
  announcePlanDraft: [C],
  recordPlanConsent: [C],
  submitPlanForApproval: [C],
  recordPlanApproval: [C],
  // SUPERVISOR: countersigns the paper ballots.
  countersignPaperBallots: [S],
  // TOWNSHIP_AUDITOR: orders a correction; never votes, never changes an outcome.
  orderCorrection: [A],
  // SUPERVISOR, TOWNSHIP_AUDITOR: a tree head on demand, which attests the log and records nothing.
  signTreeHead: [S, A],
};

const MUTATIONS = Object.keys(MAY_CALL).sort();
const MATRIX = MUTATIONS.flatMap((mutation) =>
  ROLES.map((role) => [mutation, role, MAY_CALL[mutation]?.includes(role) ?? false] as const),
);
/** Mutations that touch no village or township: the log is one for all, so no scope applies. */
const UNSCOPED = new Set(['signTreeHead']);

const ALLOWED = MATRIX.filter(([, , allowed]) => allowed).map(
  ([mutation, role]) => [mutation, role] as const,
);
const SCOPED = ALLOWED.filter(([mutation]) => !UNSCOPED.has(mutation));

// ---------------------------------------------------------------------------------------------
// The schema, as the running app introspects it.

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue?: string | null;
}
interface MutationField {
  name: string;
  args: InputValue[];
}
interface NamedType {
  kind: string;
  name: string;
  enumValues: { name: string }[] | null;
  inputFields: InputValue[] | null;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const MUTATION_TYPE = `{ __schema { mutationType { fields { name args { name type { ${TYPE_REF} } } } } } }`;
const NAMED_TYPE = `query ($name: String!) { __type(name: $name) {
  kind name enumValues { name } inputFields { name defaultValue type { ${TYPE_REF} } } } }`;

const typeName = (type: TypeRef): string => {
  if (type.kind === 'NON_NULL') return `${typeName(type.ofType as TypeRef)}!`;
  if (type.kind === 'LIST') return `[${typeName(type.ofType as TypeRef)}]`;
  return type.name as string;
};

/** The ids of the seeded objects a mutation may target, by the name of the argument or field. */
type Targets = Readonly<Record<string, string>>;

class ArgumentMaker {
  private readonly types = new Map<string, NamedType>();

  constructor(
    private readonly t: AppUnderTest,
    private readonly token: string,
  ) {}

  async namedType(name: string): Promise<NamedType> {
    const known = this.types.get(name);
    if (known !== undefined) return known;
    const { __type } = ok(
      await this.t.graphql<{ __type: NamedType }>(NAMED_TYPE, { name }, this.token),
    );
    this.types.set(name, __type);
    return __type;
  }

  /** A syntactically valid value for an argument or input field; undefined leaves it out. */
  async value(name: string, type: TypeRef, targets: Targets): Promise<unknown> {
    if (type.kind === 'NON_NULL') return this.required(name, type.ofType as TypeRef, targets);
    return undefined;
  }

  private async required(name: string, type: TypeRef, targets: Targets): Promise<unknown> {
    if (type.kind === 'NON_NULL') return this.required(name, type.ofType as TypeRef, targets);
    if (type.kind === 'LIST') {
      // One element, named as one of the list: proposalIds → proposalId, memberIds → memberId.
      const element = await this.required(name.replace(/s$/, ''), type.ofType as TypeRef, targets);
      return [element];
    }
    const named = type.name as string;
    if (type.kind === 'ENUM') {
      const values = (await this.namedType(named)).enumValues ?? [];
      return values[0]?.name;
    }
    if (type.kind === 'INPUT_OBJECT') {
      const fields = (await this.namedType(named)).inputFields ?? [];
      const object: Record<string, unknown> = {};
      for (const field of fields) {
        if (field.defaultValue != null) continue;
        const value = await this.value(field.name, field.type, targets);
        if (value !== undefined) object[field.name] = value;
      }
      return object;
    }
    if (name in targets) return targets[name];
    switch (named) {
      case 'ID':
        return randomUUID();
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      default:
        return this.string(name);
    }
  }

  private string(name: string): string {
    if (/sha256$/i.test(name)) return 'ab'.repeat(32);
    if (/At$/.test(name)) return this.t.clock.now().toISOString();
    if (/Date$/.test(name)) return this.t.clock.now().toISOString().slice(0, 10);
    if (name === 'csv') return '户号,姓名,性别,出生日期,居住依据\nH900,周新民,男,1980-01-01,户籍\n';
    if (name === 'itemId') return 'item-1';
    return `测试${name}`;
  }
}

/** One call of a mutation: its document and variables. */
interface Call {
  query: string;
  variables: Record<string, unknown>;
}

async function callOf(field: MutationField, maker: ArgumentMaker, targets: Targets): Promise<Call> {
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const passed: string[] = [];
  for (const arg of field.args) {
    const value = await maker.value(arg.name, arg.type, targets);
    if (value === undefined) continue;
    variables[arg.name] = value;
    declared.push(`$${arg.name}: ${typeName(arg.type)}`);
    passed.push(`${arg.name}: $${arg.name}`);
  }
  const params = declared.length > 0 ? `(${declared.join(', ')})` : '';
  const args = passed.length > 0 ? `(${passed.join(', ')})` : '';
  return { query: `mutation ${params} { ${field.name}${args} { __typename } }`, variables };
}

const code = (response: GraphQLResponse): unknown => response.errors?.[0]?.extensions?.code;
const describeResponse = (response: GraphQLResponse) =>
  JSON.stringify({
    data: response.data,
    errors: response.errors?.map((e) => [e.message, e.extensions?.code]),
  });

/** Codes that say the call never reached the guard, or fell over after it: never an answer here. */
const ACCESS_REFUSED = ['FORBIDDEN', 'UNAUTHENTICATED'];
const NOT_AN_ANSWER = [
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
];

// ---------------------------------------------------------------------------------------------

describe('who may call which mutation (issue 4 §4)', () => {
  let t: AppUnderTest;
  let schemaMutations: Map<string, MutationField>;
  let maker: ArgumentMaker;
  /** The seeded village's objects, substituted into arguments of the same name. */
  let targets: Record<string, string>;
  /** Ids that name nothing at all. */
  let nowhere: Record<string, string>;
  /** A token of each role whose scope is the seeded village (the auditor: its township). */
  const tokens = new Map<Role, string>();
  /** A token of each role whose scope is another village (the auditor: another township). */
  const outsiders = new Map<Role, string>();
  const calls = new Map<string, Call>();
  const nowhereCalls = new Map<string, Call>();

  const call = async (mutation: string, token: string | undefined, to = calls) => {
    const prepared = to.get(mutation);
    if (prepared === undefined) throw new Error(`${mutation} is not in the running schema`);
    return t.graphql(prepared.query, prepared.variables, token);
  };

  beforeAll(async () => {
    // The matrix makes a few hundred mutations a minute from one address; the rate limit is not
    // what this file tests.
    t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
    const clerk = await t.token({ subject: 'clerk-qingshan', role: 'CLERK', villageId: VILLAGE });
    const otherClerk = await t.token({
      subject: 'clerk-lushan',
      role: 'CLERK',
      villageId: OTHER_VILLAGE,
    });

    const introspected = ok(
      await t.graphql<{ __schema: { mutationType: { fields: MutationField[] } } }>(
        MUTATION_TYPE,
        {},
        clerk,
      ),
    );
    schemaMutations = new Map(
      introspected.__schema.mutationType.fields.map((field) => [field.name, field]),
    );
    maker = new ArgumentMaker(t, clerk);

    for (const [villageId, township, token] of [
      [VILLAGE, TOWNSHIP, clerk],
      [OTHER_VILLAGE, OTHER_TOWNSHIP, otherClerk],
    ] as const) {
      ok(
        await t.graphql(
          `mutation ($input: RegisterVillageInput!) { registerVillage(input: $input) { caughtUp } }`,
          {
            input: {
              villageId,
              name: `${villageId}村`,
              township,
              county: '安吉县',
              province: '浙江省',
            },
          },
          token,
        ),
      );
    }
    const csv = [
      '户号,姓名,性别,出生日期,居住依据',
      'H001,王建国,男,1961-03-04,户籍',
      'H001,李秀英,女,1964-07-21,户籍',
      'H002,张伟,男,1975-11-02,户籍',
      'H002,刘芳,女,1979-01-30,户籍',
      'H003,陈静,女,1988-09-09,户籍',
      'H003,杨洋,男,1990-12-12,户籍',
    ].join('\n');
    ok(
      await t.graphql(
        `mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }`,
        { v: VILLAGE, csv },
        clerk,
      ),
    );
    const villagerIds = ok(
      await t.graphql<{ village: { villagers: { edges: { node: { id: string } }[] } } }>(
        `query { village(villageId: "${VILLAGE}") { villagers(first: 10) { edges { node { id } } } } }`,
        {},
        clerk,
      ),
    ).village.villagers.edges.map((edge) => edge.node.id);
    expect(villagerIds).toHaveLength(6);
    const [villagerId, , , , , supervisorId] = villagerIds as [string, ...string[]];
    // A supervisor countersigns as themselves, and must sit on the supervision committee.
    ok(
      await t.graphql(
        `mutation ($input: ElectionInput!) { electSupervisionCommittee(input: $input) { caughtUp } }`,
        { input: { villageId: VILLAGE, memberIds: [supervisorId] } },
        clerk,
      ),
    );

    const proposalId = ok(
      await t.graphql<{ draftProposal: { proposal: { id: string } } }>(
        `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            title: '村东便民桥',
            body: '修建村东便民桥。',
            matter: 'PUBLIC_WORKS',
            proposer: 'COMMITTEE',
          },
        },
        clerk,
      ),
    ).draftProposal.proposal.id;
    for (const [step, members, attending, agreeing] of [
      ['JOINT_COMMITTEES', 9, 8, 7],
      ['PARTY_MEMBERS', 30, 24, 20],
    ] as const) {
      ok(
        await t.graphql(
          `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
          {
            input: {
              proposalId,
              step,
              heldAt: t.clock.now().toISOString(),
              members,
              attending,
              agreeing,
              minutesSha256: 'cd'.repeat(32),
            },
          },
          clerk,
        ),
      );
    }
    const now = t.clock.now().getTime();
    const meetingId = ok(
      await t.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            body: 'VILLAGERS_ASSEMBLY',
            noticeAt: new Date(now).toISOString(),
            scheduledAt: new Date(now + 11 * 24 * 3600_000).toISOString(),
            proposalIds: [proposalId],
          },
        },
        clerk,
      ),
    ).conveneMeeting.meeting.id;

    const villager = await t.token({ subject: villagerId, role: 'VILLAGER', villageId: VILLAGE });
    const petitionId = ok(
      await t.graphql<{ startPetition: { petition: { id: string } } }>(
        `mutation ($input: StartPetitionInput!) { startPetition(input: $input) { petition { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            purpose: 'CONVENE_ASSEMBLY',
            signatories: 'VILLAGERS',
            subject: '请求召开村民会议讨论垃圾分类',
          },
        },
        villager,
      ),
    ).startPetition.petition.id;

    const seeded: Record<string, string> = {
      villageId: VILLAGE,
      proposalId,
      meetingId,
      petitionId,
      villagerId,
      memberId: villagerId,
      representativeId: villagerId,
      householdId: 'H001',
      itemId: 'item-1',
    };
    const draftPlan = schemaMutations.get('draftPlan');
    if (draftPlan !== undefined) seeded.planId = await seedPlan(t, draftPlan, maker, clerk, seeded);
    targets = seeded;
    nowhere = Object.fromEntries(
      Object.keys(seeded).map((name) => [
        name,
        name === 'villageId' ? 'no-such-village' : randomUUID(),
      ]),
    );
    nowhere.itemId = 'item-1';
    nowhere.householdId = 'H999';

    tokens.set('VILLAGER', villager);
    tokens.set('CLERK', clerk);
    tokens.set(
      'SUPERVISOR',
      await t.token({ subject: supervisorId as string, role: 'SUPERVISOR', villageId: VILLAGE }),
    );
    tokens.set(
      'TOWNSHIP_AUDITOR',
      await t.token({ subject: 'auditor-anji', role: 'TOWNSHIP_AUDITOR', township: TOWNSHIP }),
    );
    tokens.set('INTEGRATOR', await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' }));
    outsiders.set(
      'VILLAGER',
      await t.token({ subject: 'v-lushan-1', role: 'VILLAGER', villageId: OTHER_VILLAGE }),
    );
    outsiders.set('CLERK', otherClerk);
    outsiders.set(
      'SUPERVISOR',
      await t.token({ subject: 's-lushan-1', role: 'SUPERVISOR', villageId: OTHER_VILLAGE }),
    );
    outsiders.set(
      'TOWNSHIP_AUDITOR',
      await t.token({
        subject: 'auditor-xiaofeng',
        role: 'TOWNSHIP_AUDITOR',
        township: OTHER_TOWNSHIP,
      }),
    );

    for (const [name, field] of schemaMutations) {
      calls.set(name, await callOf(field, maker, targets));
      nowhereCalls.set(name, await callOf(field, maker, nowhere));
    }
  });

  afterAll(() => t?.close());

  it('(a) every mutation of the schema has a decision in the table, and every decision a mutation', () => {
    expect([...schemaMutations.keys()].sort()).toEqual(MUTATIONS);
  });

  it.each(MATRIX)('(b) %s as %s: allowed = %s', async (mutation, role, allowed) => {
    const response = await call(mutation, tokens.get(role));
    if (!allowed) {
      expect({ code: code(response), data: response.data }).toEqual({
        code: 'FORBIDDEN',
        data: null,
      });
      return;
    }
    // Let through by the guard and the scope check: whatever the domain answers, it is not an
    // access refusal, and the call was well formed and did not crash.
    const answer = code(response);
    if (typeof answer === 'string' && [...ACCESS_REFUSED, ...NOT_AN_ANSWER].includes(answer)) {
      throw new Error(`${mutation} as ${role} answered ${describeResponse(response)}`);
    }
  });

  it.each(MUTATIONS)('(b) %s without a token: UNAUTHENTICATED', async (mutation) => {
    const response = await call(mutation, undefined);
    expect({ code: code(response), data: response.data }).toEqual({
      code: 'UNAUTHENTICATED',
      data: null,
    });
  });

  it.each(MUTATIONS)('(b) %s with a garbage or forged token: UNAUTHENTICATED', async (mutation) => {
    const clerk = tokens.get('CLERK') as string;
    const [header, payload] = clerk.split('.');
    for (const token of ['garbage', 'a.b.c', `${header}.${payload}.${'A'.repeat(43)}`]) {
      const response = await call(mutation, token);
      expect({ token, code: code(response), data: response.data }).toEqual({
        token,
        code: 'UNAUTHENTICATED',
        data: null,
      });
    }
  });

  it.each(SCOPED)(
    '(b) %s as a %s of another village (auditor: township): FORBIDDEN, the same as for objects that do not exist',
    async (mutation, role) => {
      const outsider = outsiders.get(role);
      if (outsider === undefined) throw new Error(`no outsider for ${role}`);
      const theirs = await call(mutation, outsider, calls);
      const none = await call(mutation, outsider, nowhereCalls);
      // And the role's own token, for objects (and a village) that do not exist anywhere.
      const ownNone = await call(mutation, tokens.get(role), nowhereCalls);
      for (const response of [theirs, none, ownNone]) {
        expect({ code: code(response), data: response.data }).toEqual({
          code: 'FORBIDDEN',
          data: null,
        });
      }
      // Nothing in the answers tells them apart.
      const seen = (response: GraphQLResponse) =>
        response.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code }));
      expect(seen(none)).toEqual(seen(theirs));
      expect(seen(ownNone)).toEqual(seen(theirs));
    },
  );

  describe('(c) personal data: names, birth dates and ballots', () => {
    const NAMES = ['欧阳秀兰', '司马建华', '诸葛明月'];
    const BIRTH_DATES = ['1958-04-17', '1966-10-03', '1983-02-25'];
    let ids: string[];
    let meetingId: string;
    let proposalId: string;
    const personalTokens = new Map<string, string>();

    beforeAll(async () => {
      const clerk = await t.token({
        subject: 'clerk-xishan',
        role: 'CLERK',
        villageId: PRIVATE_VILLAGE,
      });
      ok(
        await t.graphql(
          `mutation ($input: RegisterVillageInput!) { registerVillage(input: $input) { caughtUp } }`,
          {
            input: {
              villageId: PRIVATE_VILLAGE,
              name: '西山村',
              township: TOWNSHIP,
              county: '安吉县',
              province: '浙江省',
            },
          },
          clerk,
        ),
      );
      const csv = [
        '户号,姓名,性别,出生日期,居住依据',
        ...NAMES.map(
          (name, i) => `X00${i + 1},${name},${i === 1 ? '男' : '女'},${BIRTH_DATES[i]},户籍`,
        ),
      ].join('\n');
      ok(
        await t.graphql(
          `mutation ($v: ID!, $csv: String!) { importRoll(villageId: $v, csv: $csv) { villagers } }`,
          { v: PRIVATE_VILLAGE, csv },
          clerk,
        ),
      );
      const nodes = ok(
        await t.graphql<{
          village: { villagers: { edges: { node: { id: string; name: string } }[] } };
        }>(
          `query { village(villageId: "${PRIVATE_VILLAGE}") { villagers(first: 5) { edges { node { id name } } } } }`,
          {},
          clerk,
        ),
      ).village.villagers.edges.map((edge) => edge.node);
      // In the order of the names: the roll's own order is not what this test is about.
      ids = NAMES.map((name) => nodes.find((node) => node.name === name)?.id as string);
      expect(ids.every((id) => typeof id === 'string')).toBe(true);
      const villagerToken = (i: number) =>
        t.token({ subject: ids[i] as string, role: 'VILLAGER', villageId: PRIVATE_VILLAGE });

      proposalId = ok(
        await t.graphql<{ draftProposal: { proposal: { id: string } } }>(
          `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
          {
            input: {
              villageId: PRIVATE_VILLAGE,
              title: '修缮祠堂',
              body: '修缮村祠堂。',
              matter: 'PUBLIC_WORKS',
              proposer: 'COMMITTEE',
            },
          },
          clerk,
        ),
      ).draftProposal.proposal.id;
      for (const step of ['JOINT_COMMITTEES', 'PARTY_MEMBERS']) {
        ok(
          await t.graphql(
            `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
            {
              input: {
                proposalId,
                step,
                heldAt: t.clock.now().toISOString(),
                members: 9,
                attending: 9,
                agreeing: 9,
                minutesSha256: 'ef'.repeat(32),
              },
            },
            clerk,
          ),
        );
      }
      const now = t.clock.now().getTime();
      meetingId = ok(
        await t.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
          `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
          {
            input: {
              villageId: PRIVATE_VILLAGE,
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
      const m = { m: meetingId };
      ok(
        await t.graphql(`mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`, m, clerk),
      );
      // Two of three adults: a quorum (A3); they vote FOR and AGAINST.
      for (const i of [0, 1]) {
        const token = await villagerToken(i);
        ok(await t.graphql(`mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`, m, token));
        if (i === 1) {
          ok(
            await t.graphql(
              `mutation ($m: ID!) { openVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
              m,
              clerk,
            ),
          );
        }
      }
      for (const [i, choice] of [
        [0, 'FOR'],
        [1, 'AGAINST'],
      ] as const) {
        ok(
          await t.graphql(
            `mutation ($m: ID!, $c: Choice!) { castBallot(meetingId: $m, itemId: "item-1", choice: $c) { caughtUp } }`,
            { ...m, c: choice },
            await villagerToken(i),
          ),
        );
      }

      personalTokens.set('VILLAGER', await villagerToken(0));
      personalTokens.set('CLERK', clerk);
      personalTokens.set(
        'SUPERVISOR',
        await t.token({
          subject: 'supervisor-xishan',
          role: 'SUPERVISOR',
          villageId: PRIVATE_VILLAGE,
        }),
      );
      personalTokens.set(
        'TOWNSHIP_AUDITOR',
        await t.token({ subject: 'auditor-anji-2', role: 'TOWNSHIP_AUDITOR', township: TOWNSHIP }),
      );
      personalTokens.set(
        'INTEGRATOR',
        await t.token({ subject: 'county-dashboard', role: 'INTEGRATOR' }),
      );
    });

    const ask = (role: string, query: string, variables: Record<string, unknown>) =>
      t.graphql(query, variables, personalTokens.get(role));
    const VILLAGER_QUERY = `query ($v: ID!) { villager(villagerId: $v) { name birthDate gender } }`;
    const ROLL_QUERY = `query ($v: ID!) { village(villageId: $v) { villagers(first: 5) { edges { node { name } } } } }`;
    const BALLOTS_QUERY = `query ($m: ID!) { meeting(meetingId: $m) { items { ballots { villagerId choice } } } }`;

    const OFFICERS = ['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR'] as const;

    it.each(OFFICERS)(
      '%s of the village (auditor: township) sees names, birth dates and ballots',
      async (role) => {
        const one = ok(await ask(role, VILLAGER_QUERY, { v: ids[1] }));
        expect(one).toEqual({
          villager: { name: NAMES[1], birthDate: BIRTH_DATES[1], gender: 'MALE' },
        });

        const roll = ok(await ask(role, ROLL_QUERY, { v: PRIVATE_VILLAGE })) as {
          village: { villagers: { edges: { node: { name: string } }[] } };
        };
        expect(roll.village.villagers.edges.map((edge) => edge.node.name).sort()).toEqual(
          [...NAMES].sort(),
        );

        const meeting = ok(await ask(role, BALLOTS_QUERY, { m: meetingId })) as {
          meeting: { items: { ballots: { villagerId: string; choice: string }[] | null }[] };
        };
        const ballots = meeting.meeting.items[0]?.ballots ?? [];
        expect([...ballots].sort((a, b) => a.choice.localeCompare(b.choice))).toEqual([
          { villagerId: ids[1], choice: 'AGAINST' },
          { villagerId: ids[0], choice: 'FOR' },
        ]);
      },
    );

    it('an INTEGRATOR never sees a name, a birth date or a ballot (null or FORBIDDEN)', async () => {
      for (const [query, variables] of [
        [VILLAGER_QUERY, { v: ids[1] }],
        [VILLAGER_QUERY, { v: ids[0] }],
        [ROLL_QUERY, { v: PRIVATE_VILLAGE }],
        [BALLOTS_QUERY, { m: meetingId }],
      ] as const) {
        const response = await ask('INTEGRATOR', query, variables);
        expectNoPersonalData(response, { names: NAMES, birthDates: BIRTH_DATES, voterIds: [] });
        if (response.errors !== undefined) expect(code(response)).toBe('FORBIDDEN');
      }
      const meeting = await ask('INTEGRATOR', BALLOTS_QUERY, { m: meetingId });
      if (meeting.errors === undefined) {
        const items = (meeting.data as { meeting: { items: { ballots: unknown }[] } }).meeting
          .items;
        expect(items.map((item) => item.ballots)).toEqual([null]);
      }
    });

    it('a VILLAGER sees their own name through me, and no other villager’s name or ballot', async () => {
      const me = ok(await ask('VILLAGER', `query { me { villager { name } } }`, {}));
      expect(me).toEqual({ me: { villager: { name: NAMES[0] } } });
      const receipts = ok(await ask('VILLAGER', `query { myBallots { villagerId choice } }`, {}));
      expect(receipts).toEqual({ myBallots: [{ villagerId: ids[0], choice: 'FOR' }] });

      const others = { names: NAMES.slice(1), birthDates: BIRTH_DATES.slice(1), voterIds: [] };
      const other = await ask('VILLAGER', VILLAGER_QUERY, { v: ids[1] });
      expectNoPersonalData(other, others);
      if (other.errors !== undefined) expect(code(other)).toBe('FORBIDDEN');
      else expect(other.data).toEqual({ villager: { name: null, birthDate: null, gender: null } });

      const roll = await ask('VILLAGER', ROLL_QUERY, { v: PRIVATE_VILLAGE });
      expectNoPersonalData(roll, others);

      const meeting = await ask('VILLAGER', BALLOTS_QUERY, { m: meetingId });
      expectNoPersonalData(meeting, { ...others, voterIds: [ids[1] as string] });
      if (meeting.errors !== undefined) expect(code(meeting)).toBe('FORBIDDEN');
    });

    it.each(['VILLAGER', 'CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR'] as const)(
      'a %s of another village (auditor: township) sees none of it',
      async (role) => {
        const outsider = outsiders.get(role) as string;
        for (const [query, variables] of [
          [VILLAGER_QUERY, { v: ids[1] }],
          [ROLL_QUERY, { v: PRIVATE_VILLAGE }],
          [BALLOTS_QUERY, { m: meetingId }],
        ] as const) {
          const response = await t.graphql(query, variables, outsider);
          expectNoPersonalData(response, {
            names: NAMES,
            birthDates: BIRTH_DATES,
            voterIds: [ids[0] as string, ids[1] as string],
          });
          expect(code(response)).toBe('FORBIDDEN');
        }
      },
    );

    it('the township auditor’s correction order (C2) leaves the outcome as the assembly decided it', async () => {
      const OUTCOME = `query ($p: ID!) { proposal(proposalId: $p) {
        resolution { outcome tally { for against attending } correction { legalBasis } } } }`;
      ok(
        await ask(
          'CLERK',
          `mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
          { m: meetingId },
        ),
      );
      const decided = ok(await ask('TOWNSHIP_AUDITOR', OUTCOME, { p: proposalId })) as {
        proposal: { resolution: Record<string, unknown> };
      };
      expect(decided.proposal.resolution).toEqual({
        outcome: 'FAILED',
        tally: { for: 1, against: 1, attending: 2 },
        correction: null,
      });
      ok(
        await ask(
          'TOWNSHIP_AUDITOR',
          `mutation ($p: ID!) { orderCorrection(proposalId: $p, legalBasis: "《村民委员会组织法》第二十七条") { caughtUp } }`,
          { p: proposalId },
        ),
      );
      const corrected = ok(await ask('TOWNSHIP_AUDITOR', OUTCOME, { p: proposalId })) as {
        proposal: { resolution: Record<string, unknown> };
      };
      expect(corrected.proposal.resolution).toEqual({
        ...decided.proposal.resolution,
        correction: { legalBasis: '《村民委员会组织法》第二十七条' },
      });
    });
  });
});

/** No seeded personal value appears anywhere in the response, errors included. */
function expectNoPersonalData(
  response: GraphQLResponse,
  personal: {
    names: readonly string[];
    birthDates: readonly string[];
    voterIds: readonly string[];
  },
): void {
  const json = JSON.stringify(response);
  for (const value of [...personal.names, ...personal.birthDates, ...personal.voterIds]) {
    expect({ value, found: json.includes(value), response: json }).toMatchObject({
      value,
      found: false,
    });
  }
}

/** A plan of the village, drafted with arguments generated like any other call's. */
async function seedPlan(
  t: AppUnderTest,
  draftPlan: MutationField,
  maker: ArgumentMaker,
  clerk: string,
  targets: Targets,
): Promise<string> {
  const { query, variables } = await callOf(draftPlan, maker, targets);
  const response = await t.graphql<{ draftPlan: { plan: { id: string } } }>(
    query.replace('{ __typename }', '{ plan { id } }'),
    variables,
    clerk,
  );
  return ok(response).draftPlan.plan.id;
}
