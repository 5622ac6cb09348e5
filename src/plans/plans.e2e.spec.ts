/**
 * Plans (规划) over real HTTP, on the sqlite store: drafted, a version proposed and announced, and
 * consent refused without a decided agenda item (M4); the clerk's writes, everyone's reads.
 * A full consent needs a meeting that decided a PLAN_CONSENT item: the domain's specs cover M4.
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
const HOUSEHOLDS = 1;
const sha256 = (n: number) => n.toString(16).padStart(64, '0');

const PLAN_FIELDS = `id villageId kind title draftedAt currentVersion
  versions { version documentSha256 summary status announcedAt publicNotice { ruleId met days requiredDays }
    consent { meetingId itemId outcome decidedAt } submittedTo approvedBy approvedAt supersededBy }`;

interface PlanView {
  id: string;
  villageId: string;
  kind: string;
  currentVersion: number | null;
  versions: { version: number; status: string; announcedAt: string | null }[];
}

describe('plans', () => {
  let app: AppUnderTest;
  const clerk = () => app.token({ subject: 'clerk-qiaotou', role: 'CLERK', villageId: VILLAGE });
  let villagerId = '';
  let outsiderId = '';

  const mutate = async <K extends string>(
    field: K,
    inputType: string,
    input: Record<string, unknown>,
    bearer: string,
  ) =>
    app.graphql<Record<K, { caughtUp: boolean; plan: PlanView }>>(
      `mutation ($input: ${inputType}!) { ${field}(input: $input) { caughtUp plan { ${PLAN_FIELDS} } } }`,
      { input },
      bearer,
    );

  const draft = async (bearer: string, villageId = VILLAGE) =>
    mutate(
      'draftPlan',
      'DraftPlanInput',
      { villageId, kind: 'VILLAGE_LAYOUT', title: '桥头村村庄布局规划（2026—2035）' },
      bearer,
    );

  const read = (planId: string, bearer: string) =>
    app.graphql<{ plan: PlanView }>(
      `query ($p: ID!) { plan(planId: $p) { ${PLAN_FIELDS} } }`,
      { p: planId },
      bearer,
    );

  /** A PLAN_CONSENT proposal through steps 1–3, on the agenda of an assembly not yet sitting. */
  /** A meeting convened on a PLAN_CONSENT proposal asking consent for version 1 of `planId`. */
  async function convenedMeeting(planId: string): Promise<string> {
    const bearer = await clerk();
    const proposalId = ok(
      await app.graphql<{ draftProposal: { proposal: { id: string } } }>(
        `mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            title: '村庄布局规划征求意见稿',
            body: '提请村民会议同意村庄布局规划第1版。',
            matter: 'PLAN_CONSENT',
            proposer: 'COMMITTEE',
            plan: { planId, version: 1 },
          },
        },
        bearer,
      ),
    ).draftProposal.proposal.id;
    const heldAt = new Date(Date.now() - 60_000).toISOString();
    for (const [step, members, attending, agreeing] of [
      ['JOINT_COMMITTEES', 9, 8, 7],
      ['PARTY_MEMBERS', 30, 24, 20],
    ] as const) {
      ok(
        await app.graphql(
          `mutation ($input: RecordDeliberationInput!) { recordDeliberation(input: $input) { caughtUp } }`,
          {
            input: {
              proposalId,
              step,
              heldAt,
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
    const now = Date.now();
    return ok(
      await app.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            body: 'VILLAGERS_ASSEMBLY',
            noticeAt: new Date(now - 1000).toISOString(),
            scheduledAt: new Date(now + 11 * 24 * 3600_000).toISOString(),
            proposalIds: [proposalId],
          },
        },
        bearer,
      ),
    ).conveneMeeting.meeting.id;
  }

  beforeAll(async () => {
    app = await startApp({}, { clock: TestClock.onSystemTime() });
    [villagerId = ''] = await seedVillage(app, {
      villageId: VILLAGE,
      township: '递铺镇',
      adults: 1,
      minors: 0,
      households: HOUSEHOLDS,
    });
    [outsiderId = ''] = await seedVillage(app, {
      villageId: OTHER_VILLAGE,
      township: '孝丰镇',
      adults: 1,
      minors: 0,
      households: HOUSEHOLDS,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  describe('a village layout plan on its way to consent', () => {
    let planId: string;

    beforeAll(async () => {
      const drafted = ok(await draft(await clerk())).draftPlan;
      expect(drafted.caughtUp).toBe(true);
      expect(drafted.plan).toMatchObject({
        villageId: VILLAGE,
        kind: 'VILLAGE_LAYOUT',
        versions: [],
        currentVersion: null,
      });
      planId = drafted.plan.id;
    });

    it('is drafted, gets version 1, and has it announced (M4)', async () => {
      // Before its draft is announced a plan is the committee's working paper: not public.
      const integrator = await app.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
      const villager = await app.token({
        subject: villagerId,
        role: 'VILLAGER',
        villageId: VILLAGE,
      });
      for (const reader of [integrator, villager]) {
        expect(codeOf(await read(planId, reader))).toBe('FORBIDDEN');
      }
      const proposed = ok(
        await mutate(
          'proposePlanVersion',
          'ProposePlanVersionInput',
          {
            planId,
            version: 1,
            documentSha256: sha256(1),
            summary: '村庄布局：保留古樟树群，新建村东停车场。',
          },
          await clerk(),
        ),
      ).proposePlanVersion.plan;
      expect(proposed.versions).toEqual([
        expect.objectContaining({ version: 1, status: 'DRAFT', documentSha256: sha256(1) }),
      ]);
      const announcedAt = new Date(Date.now() - 1000).toISOString();
      const announced = ok(
        await mutate(
          'announcePlanDraft',
          'AnnouncePlanDraftInput',
          { planId, version: 1, announcedAt },
          await clerk(),
        ),
      ).announcePlanDraft.plan;
      expect(announced.versions[0]).toMatchObject({
        status: 'ANNOUNCED',
        announcedAt,
        publicNotice: null,
        consent: null,
      });
    });

    it('refuses consent from a meeting item that has no decision: NOT_FOUND', async () => {
      const meetingId = await convenedMeeting(planId);
      const consent = await mutate(
        'recordPlanConsent',
        'RecordPlanConsentInput',
        { planId, version: 1, meetingId, itemId: 'item-1' },
        await clerk(),
      );
      expect(codeOf(consent)).toBe('NOT_FOUND');
      expect(consent.errors?.[0]?.message).toMatch(/has no decision/);
    });

    it('refuses consent from a meeting that is not the village’s: FORBIDDEN', async () => {
      const consent = await mutate(
        'recordPlanConsent',
        'RecordPlanConsentInput',
        { planId, version: 1, meetingId: '00000000-0000-4000-8000-000000000000', itemId: 'item-1' },
        await clerk(),
      );
      expect(codeOf(consent)).toBe('FORBIDDEN');
    });

    it('refuses submission for approval without consent: CONSENT_REQUIRED (M4)', async () => {
      const submitted = await mutate(
        'submitPlanForApproval',
        'SubmitPlanForApprovalInput',
        { planId, version: 1, submittedTo: '安吉县人民政府' },
        await clerk(),
      );
      expect(codeOf(submitted)).toBe('CONSENT_REQUIRED');
      expect(submitted.errors?.[0]?.extensions?.ruleId).toBe('M4');
    });

    it('lets an integrator read the plan, and list the village’s plans', async () => {
      const integrator = await app.token({ subject: 'county-dashboard', role: 'INTEGRATOR' });
      const read_ = ok(await read(planId, integrator)).plan;
      expect(read_).toMatchObject({ id: planId, versions: [{ version: 1, status: 'ANNOUNCED' }] });
      const listed = ok(
        await app.graphql<{ plans: { totalCount: number; edges: { node: { id: string } }[] } }>(
          `query ($v: ID!) { plans(villageId: $v) { totalCount edges { node { id } } } }`,
          { v: VILLAGE },
          integrator,
        ),
      ).plans;
      expect(listed.edges.map((edge) => edge.node.id)).toContain(planId);
    });

    it('lets the village’s villagers read it, not another village’s', async () => {
      const own = await app.token({ subject: villagerId, role: 'VILLAGER', villageId: VILLAGE });
      expect(ok(await read(planId, own)).plan.id).toBe(planId);
      const other = await app.token({
        subject: outsiderId,
        role: 'VILLAGER',
        villageId: OTHER_VILLAGE,
      });
      expect(codeOf(await read(planId, other))).toBe('FORBIDDEN');
    });

    it('refuses another village’s clerk: FORBIDDEN', async () => {
      const otherClerk = await app.token({
        subject: 'clerk-xiyuan',
        role: 'CLERK',
        villageId: OTHER_VILLAGE,
      });
      const proposed = await mutate(
        'proposePlanVersion',
        'ProposePlanVersionInput',
        { planId, version: 2, documentSha256: sha256(2), summary: '另一稿' },
        otherClerk,
      );
      expect(codeOf(proposed)).toBe('FORBIDDEN');
    });

    it('refuses a document hash that is not 64 lowercase hex digits: BAD_USER_INPUT', async () => {
      const proposed = await mutate(
        'proposePlanVersion',
        'ProposePlanVersionInput',
        { planId, version: 2, documentSha256: 'ABC', summary: '第二稿' },
        await clerk(),
      );
      expect(codeOf(proposed)).toBe('BAD_USER_INPUT');
    });

    it('takes a newer unapproved version in place of the old one, which stays on record', async () => {
      const proposed = ok(
        await mutate(
          'proposePlanVersion',
          'ProposePlanVersionInput',
          { planId, version: 2, documentSha256: sha256(2), summary: '第二稿：停车场移至村西。' },
          await clerk(),
        ),
      ).proposePlanVersion.plan;
      expect(proposed.versions).toEqual([
        expect.objectContaining({ version: 1, status: 'SUPERSEDED', supersededBy: 2 }),
        expect.objectContaining({ version: 2, status: 'DRAFT' }),
      ]);
    });
  });

  it('refuses a villager who would draft a plan: FORBIDDEN', async () => {
    const own = await app.token({ subject: villagerId, role: 'VILLAGER', villageId: VILLAGE });
    expect(codeOf(await draft(own))).toBe('FORBIDDEN');
  });

  it('refuses a clerk who would draft another village’s plan: FORBIDDEN', async () => {
    expect(codeOf(await draft(await clerk(), OTHER_VILLAGE))).toBe('FORBIDDEN');
  });
});
