/** Test support: a plan's commands, and histories built by the decider itself. */
import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { addDays } from '../shared/time';
import type { ItemDecision } from '../shared/vocabulary';
import type {
  AnnounceDraft,
  ApproveVersion,
  DraftPlan,
  PlanCommand,
  ProposeVersion,
  RecordConsent,
  SubmitForApproval,
} from './commands';
import type { PlanEvent } from './events';
import { planDecider } from './plan.decider';

export const PLAN_ID = 'plan-layout';
export const DRAFTED_AT = '2026-05-20T09:00:00+08:00';
/** SHA-256 of two documents: the first layout plan and its amendment. */
export const FIRST_DOCUMENT = '6f1ed002ab5595859014ebf0951522d9a2bd5f4c5a0bd9fd4ac58ea24a3f6b0e';
export const AMENDED_DOCUMENT = 'c1d3f1d2b07b5e3f9a1c0e4a52d8a1f0e76c9c3b8d2e4f5a6b7c8d9e0f1a2b3c';

export const draftPlan: DraftPlan = {
  type: 'DraftPlan',
  data: {
    planId: PLAN_ID,
    villageId: 'village-1',
    kind: 'VILLAGE_LAYOUT',
    title: '下姜村村庄布局规划',
    at: DRAFTED_AT,
  },
};

export const proposeVersion = (
  version: number,
  documentSha256 = version === 1 ? FIRST_DOCUMENT : AMENDED_DOCUMENT,
  at = DRAFTED_AT,
): ProposeVersion => ({
  type: 'ProposeVersion',
  data: {
    planId: PLAN_ID,
    version,
    documentSha256,
    summary: `Layout plan, version ${version}`,
    at,
  },
});

export const announceDraft = (version: number, announcedAt: string): AnnounceDraft => ({
  type: 'AnnounceDraft',
  data: { planId: PLAN_ID, version, announcedAt, at: announcedAt },
});

/** The agenda item's decision: a passed PLAN_CONSENT of the villagers' assembly unless changed. */
export function consentDecision(
  decidedAt: string,
  change: Partial<ItemDecision> = {},
): ItemDecision {
  return {
    meetingId: 'm-plan',
    itemId: 'item-1',
    proposalId: 'p-plan-consent',
    body: 'VILLAGERS_ASSEMBLY',
    matter: 'PLAN_CONSENT',
    outcome: 'PASSED',
    tally: { for: 40, against: 10, abstain: 2, notVoting: 1, attending: 53 },
    members: 95,
    judgements: [
      { ruleId: 'A3', met: true, actual: 53, required: 48, of: 95 },
      { ruleId: 'A4', met: true, actual: 40, required: 27, of: 53 },
    ],
    ruleBook: RULE_BOOK_VERSION,
    rules: ['A3', 'A4'],
    decidedAt,
    ...change,
  };
}

export const recordConsent = (
  version: number,
  decision: ItemDecision,
  consentFor = { planId: PLAN_ID, version },
  at = decision.decidedAt,
): RecordConsent => ({
  type: 'RecordConsent',
  data: { planId: PLAN_ID, version, decision, consentFor, at },
});

export const submitForApproval = (version: number, at: string): SubmitForApproval => ({
  type: 'SubmitForApproval',
  data: { planId: PLAN_ID, version, submittedTo: '淳安县人民政府', at },
});

export const approveVersion = (version: number, approvedAt: string): ApproveVersion => ({
  type: 'ApproveVersion',
  data: { planId: PLAN_ID, version, authority: '淳安县人民政府', approvedAt, at: approvedAt },
});

/** Announced at `announcedAt`; consented to 30 days later; submitted and approved after. */
export function wholePath(
  version: number,
  announcedAt: string,
): [AnnounceDraft, RecordConsent, SubmitForApproval, ApproveVersion] {
  const decidedAt = addDays(announcedAt, 30);
  return [
    announceDraft(version, announcedAt),
    recordConsent(version, consentDecision(decidedAt)),
    submitForApproval(version, addDays(announcedAt, 31)),
    approveVersion(version, addDays(announcedAt, 60)),
  ];
}

/** The events the decider records for these commands, given one after another. */
export function recorded(...commands: readonly PlanCommand[]): PlanEvent[] {
  let state = planDecider.initialState();
  return commands.flatMap((command) => {
    const decided = planDecider.decide(command, state);
    state = decided.reduce(planDecider.evolve, state);
    return decided;
  });
}

/** What the decider records for `command` after `given`: for outcomes checked in part. */
export const decided = (given: readonly PlanEvent[], command: PlanCommand) =>
  planDecider.decide(command, fold(planDecider, given));
