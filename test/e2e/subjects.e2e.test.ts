/**
 * What the villagers vote on must say it, over real HTTP: an AUTHORISATION proposal names the M1
 * matters it hands over (M2) and a PLAN_CONSENT proposal the plan version it consents to (M4). The
 * authorisation and the consent recorded afterwards are read from the proposal behind the
 * decision, never from the clerk's mutation.
 */
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import { type AppUnderTest, ok, refusal, startApp } from '../support/app-under-test';

const VILLAGE = 'baiyun';
const ADULTS = 10;

/** Ten adults in four households, as the household register exports them. */
function householdRegister(): string {
  const rows = Array.from({ length: ADULTS }, (_, i) => {
    const household = `H${String(Math.floor(i / 3) + 1).padStart(3, '0')}`;
    const name = `${['王', '李', '张', '刘', '陈'][i % 5]}${['明', '芳'][i % 2]}${i + 1}`;
    const gender = i % 2 === 0 ? '男' : '女';
    return [household, name, gender, `${1960 + i}-0${(i % 9) + 1}-15`, '户籍'].join(',');
  });
  return `户号,姓名,性别,出生日期,居住依据\n${rows.join('\n')}\n`;
}

const minutes = (n: number) => n.toString(16).padStart(64, '0');
const sha256 = (n: number) => `${'ab'.repeat(31)}${n.toString(16).padStart(2, '0')}`;

describe('what an assembly votes on says what it grants (M2, M4)', () => {
  let t: AppUnderTest;
  let clerk: string;
  let villagers: string[];

  const draftProposal = (input: Record<string, unknown>) =>
    t.graphql<{
      draftProposal: {
        proposal: {
          id: string;
          authorisation: { matters: string[]; expiresAt: string | null } | null;
          plan: { planId: string; version: number } | null;
        };
      };
    }>(
      `mutation ($input: DraftProposalInput!) {
         draftProposal(input: $input) {
           proposal { id authorisation { matters expiresAt } plan { planId version } } } }`,
      {
        input: {
          villageId: VILLAGE,
          body: `${input.title}：经两委会商议后提交村民会议表决。`,
          proposer: 'COMMITTEE',
          ...input,
        },
      },
      clerk,
    );

  /** Steps 2 and 3 on record, a villagers' assembly convened with ten days' notice. */
  const reviewAndConvene = async (...proposalIds: string[]): Promise<string> => {
    for (const proposalId of proposalIds) await review(proposalId);
    const now = t.clock.now().getTime();
    return ok(
      await t.graphql<{ conveneMeeting: { meeting: { id: string } } }>(
        `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { meeting { id } } }`,
        {
          input: {
            villageId: VILLAGE,
            body: 'VILLAGERS_ASSEMBLY',
            noticeAt: new Date(now).toISOString(),
            scheduledAt: new Date(now + (10 * 24 + 1) * 3600_000).toISOString(),
            proposalIds,
          },
        },
        clerk,
      ),
    ).conveneMeeting.meeting.id;
  };

  const review = async (proposalId: string): Promise<void> => {
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
              minutesSha256: minutes(members),
            },
          },
          clerk,
        ),
      );
    }
  };

  /** The assembly sits `days` later, every villager attends and votes FOR: each item passes. */
  const passAfter = async (meetingId: string, days: number, items = ['item-1']): Promise<void> => {
    t.clock.advanceDays(days);
    const m = { m: meetingId };
    ok(await t.graphql(`mutation ($m: ID!) { openMeeting(meetingId: $m) { caughtUp } }`, m, clerk));
    for (const villager of villagers) {
      ok(
        await t.graphql(`mutation ($m: ID!) { checkIn(meetingId: $m) { caughtUp } }`, m, villager),
      );
    }
    for (const itemId of items) {
      const item = { ...m, i: itemId };
      ok(
        await t.graphql(
          `mutation ($m: ID!, $i: String!) { openVoting(meetingId: $m, itemId: $i) { caughtUp } }`,
          item,
          clerk,
        ),
      );
      for (const villager of villagers) {
        ok(
          await t.graphql(
            `mutation ($m: ID!, $i: String!) { castBallot(meetingId: $m, itemId: $i, choice: FOR) { caughtUp } }`,
            item,
            villager,
          ),
        );
      }
      const closed = ok(
        await t.graphql<{
          closeVoting: { meeting: { items: { itemId: string; outcome: string }[] } };
        }>(
          `mutation ($m: ID!, $i: String!) { closeVoting(meetingId: $m, itemId: $i) { meeting { items { itemId outcome } } } }`,
          item,
          clerk,
        ),
      ).closeVoting.meeting;
      expect(closed.items.find((decided) => decided.itemId === itemId)?.outcome).toBe('PASSED');
    }
  };

  /** A plan whose version 1 is announced now (M4's 30 days run from here). */
  const announcedPlan = async (title: string): Promise<string> => {
    const planId = ok(
      await t.graphql<{ draftPlan: { plan: { id: string } } }>(
        `mutation ($input: DraftPlanInput!) { draftPlan(input: $input) { plan { id } } }`,
        { input: { villageId: VILLAGE, kind: 'VILLAGE_LAYOUT', title } },
        clerk,
      ),
    ).draftPlan.plan.id;
    ok(
      await t.graphql(
        `mutation ($input: ProposePlanVersionInput!) { proposePlanVersion(input: $input) { caughtUp } }`,
        { input: { planId, version: 1, documentSha256: sha256(1), summary: `${title}第1版` } },
        clerk,
      ),
    );
    ok(
      await t.graphql(
        `mutation ($input: AnnouncePlanDraftInput!) { announcePlanDraft(input: $input) { caughtUp } }`,
        { input: { planId, version: 1, announcedAt: t.clock.now().toISOString() } },
        clerk,
      ),
    );
    return planId;
  };

  const recordConsent = (planId: string, meetingId: string, itemId = 'item-1') =>
    t.graphql<{ recordPlanConsent: { plan: { versions: { status: string }[] } } }>(
      `mutation ($input: RecordPlanConsentInput!) {
         recordPlanConsent(input: $input) { plan { versions { status } } } }`,
      { input: { planId, version: 1, meetingId, itemId } },
      clerk,
    );

  const recordAuthorisation = (meetingId: string, itemId = 'item-1') =>
    t.graphql(
      `mutation ($input: RecordAuthorisationInput!) { recordAuthorisation(input: $input) { caughtUp } }`,
      { input: { villageId: VILLAGE, meetingId, itemId } },
      clerk,
    );

  const authorisations = async () =>
    ok(
      await t.graphql<{
        village: {
          authorisations: {
            matters: string[];
            expiresAt: string | null;
            resolution: { meetingId: string; itemId: string };
          }[];
        };
      }>(
        `query { village(villageId: "${VILLAGE}") {
           authorisations { matters expiresAt resolution { meetingId itemId } } } }`,
        {},
        clerk,
      ),
    ).village.authorisations;

  beforeAll(async () => {
    t = await startApp();
    clerk = await t.token({ subject: 'clerk-baiyun', role: 'CLERK', villageId: VILLAGE });
    ok(
      await t.graphql(
        `mutation { registerVillage(input: { villageId: "${VILLAGE}", name: "白云村", township: "安吉镇", county: "安吉县", province: "浙江省" }) { village { id } } }`,
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
    const roll = ok(
      await t.graphql<{ village: { villagers: { edges: { node: { id: string } }[] } } }>(
        `query { village(villageId: "${VILLAGE}") { villagers(first: 100) { edges { node { id } } } } }`,
        {},
        clerk,
      ),
    );
    villagers = await Promise.all(
      roll.village.villagers.edges.map(({ node }) =>
        t.token({ subject: node.id, role: 'VILLAGER', villageId: VILLAGE }),
      ),
    );
    expect(villagers).toHaveLength(ADULTS);
  });

  afterAll(() => t.close());

  it('M2: an authorisation passed for PUBLIC_WORKS is recorded for exactly PUBLIC_WORKS', async () => {
    const expiresAt = new Date(t.clock.now().getTime() + 365 * 24 * 3600_000).toISOString();
    const { proposal } = ok(
      await draftProposal({
        title: '授权村民代表会议决定村内公益事业',
        matter: 'AUTHORISATION',
        authorisation: { matters: ['PUBLIC_WORKS'], expiresAt },
      }),
    ).draftProposal;
    expect(proposal).toMatchObject({
      authorisation: { matters: ['PUBLIC_WORKS'], expiresAt },
      plan: null,
    });
    const meetingId = await reviewAndConvene(proposal.id);
    await passAfter(meetingId, 10.1);

    // The input no longer has the matters: the clerk cannot name HOMESTEAD_PLAN for it.
    const widened = await t.graphql(
      `mutation { recordAuthorisation(input: { villageId: "${VILLAGE}", meetingId: "${meetingId}", itemId: "item-1", matters: [HOMESTEAD_PLAN] }) { caughtUp } }`,
      {},
      clerk,
    );
    expect(widened.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/"matters" is not defined/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(await authorisations()).toEqual([]);

    ok(await recordAuthorisation(meetingId));
    expect(await authorisations()).toEqual([
      { matters: ['PUBLIC_WORKS'], expiresAt, resolution: { meetingId, itemId: 'item-1' } },
    ]);
  });

  it('M2: an AUTHORISATION proposal that does not name the matters it hands over is refused', async () => {
    const unnamed = await draftProposal({ title: '授权村民代表会议', matter: 'AUTHORISATION' });
    expect(refusal(unnamed)).toEqual({ code: 'AUTHORISATION_INVALID', ruleId: 'M2' });
    const notM1 = await draftProposal({
      title: '授权村民代表会议同意村庄规划',
      matter: 'AUTHORISATION',
      authorisation: { matters: ['PLAN_CONSENT'] },
    });
    expect(refusal(notM1)).toEqual({ code: 'AUTHORISATION_INVALID', ruleId: 'M2' });
    const stray = await draftProposal({
      title: '修建村东便民桥',
      matter: 'PUBLIC_WORKS',
      authorisation: { matters: ['PUBLIC_WORKS'] },
    });
    expect(refusal(stray)).toEqual({ code: 'INVALID_INPUT', ruleId: 'M2' });
  });

  it('M4: a consent to plan X version 1 cannot be recorded as consent to plan Y', async () => {
    const planX = await announcedPlan('白云村村庄布局规划');
    const planY = await announcedPlan('白云村宅基地布局规划');

    const unnamed = await draftProposal({ title: '同意村庄规划', matter: 'PLAN_CONSENT' });
    expect(refusal(unnamed)).toEqual({ code: 'INVALID_INPUT', ruleId: 'M4' });
    // A plan that is not the village's (here: none at all) cannot be put to its vote.
    const unknown = await draftProposal({
      title: '同意村庄规划',
      matter: 'PLAN_CONSENT',
      plan: { planId: randomUUID(), version: 1 },
    });
    expect(refusal(unknown).code).toBe('NOT_FOUND');

    const { proposal } = ok(
      await draftProposal({
        title: '同意白云村村庄布局规划第1版',
        matter: 'PLAN_CONSENT',
        plan: { planId: planX, version: 1 },
      }),
    ).draftProposal;
    expect(proposal).toMatchObject({ authorisation: null, plan: { planId: planX, version: 1 } });
    const meetingId = await reviewAndConvene(proposal.id);
    // M4: the draft has been up 31 days when the assembly decides.
    await passAfter(meetingId, 31);

    const asY = await recordConsent(planY, meetingId);
    expect(refusal(asY)).toEqual({ code: 'CONSENT_REQUIRED', ruleId: 'M4' });
    expect(asY.errors?.[0]?.message).toBe(
      `the resolution consented to ${planX} version 1, not ${planY} version 1`,
    );
    const consented = ok(await recordConsent(planX, meetingId)).recordPlanConsent.plan;
    expect(consented.versions).toEqual([{ status: 'CONSENTED' }]);
  });

  it('M2 M4: a proposal drafted before it said what it grants grants nothing', async () => {
    // ProposalDrafted as it was recorded before `authorisation` and `plan` existed.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const legacy = async (matter: string, title: string): Promise<string> => {
      const proposalId = randomUUID();
      const at = t.clock.now().toISOString();
      const data = {
        proposalId,
        villageId: VILLAGE,
        title,
        body: `${title}：经两委会商议后提交村民会议表决。`,
        matter,
        proposer: { kind: 'COMMITTEE' },
        draftedBy: 'clerk-baiyun',
        at,
      };
      const metadata = { correlationId: randomUUID(), occurredAt: at };
      await store.append(
        `proposal-${proposalId}`,
        [{ id: randomUUID(), type: 'ProposalDrafted', data, metadata }],
        { expectedRevision: 'no_stream' },
      );
      return proposalId;
    };
    const before = await authorisations();
    const planId = await announcedPlan('白云村历史文化名村保护规划');
    const authorising = await legacy('AUTHORISATION', '授权村民代表会议（旧）');
    const consenting = await legacy('PLAN_CONSENT', '同意村庄规划（旧）');
    const meetingId = await reviewAndConvene(authorising, consenting);
    await passAfter(meetingId, 31, ['item-1', 'item-2']);

    const authorised = await recordAuthorisation(meetingId, 'item-1');
    expect(refusal(authorised)).toEqual({ code: 'AUTHORISATION_INVALID', ruleId: 'M2' });
    expect(authorised.errors?.[0]?.message).toMatch(/does not name the matters/);
    expect(await authorisations()).toEqual(before);
    const consented = await recordConsent(planId, meetingId, 'item-2');
    expect(refusal(consented)).toEqual({ code: 'CONSENT_REQUIRED', ruleId: 'M4' });
    expect(consented.errors?.[0]?.message).toMatch(/does not name the plan version/);
  });
});
