/** Test support: proposals, their commands, and histories recorded by the decider itself. */
import type { Matter } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import type { ItemDecision } from '../shared/vocabulary';
import type {
  DraftProposal,
  OrderCorrection,
  ProposalCommand,
  PublishImplementationResults,
  PublishResolution,
  RecordDeliberation,
  RecordResolution,
  ReportImplementation,
  TableProposal,
} from './commands';
import type {
  AuthorisationSubject,
  DeliberationCounts,
  DeliberationStep,
  PlanSubject,
  ProposalEvent,
} from './events';
import { proposalDecider } from './proposal.decider';

export const PROPOSAL_ID = 'proposal-1';
export const VILLAGE_ID = 'village-1';
export const MEETING_ID = 'meeting-1';
export const ITEM_ID = 'item-1';
/** SHA-256 of the signed minutes. */
export const MINUTES = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export const DRAFTED_AT = '2026-03-02T09:00:00+08:00';
export const JOINT_HELD_AT = '2026-03-05T19:00:00+08:00';
export const JOINT_RECORDED_AT = '2026-03-06T09:00:00+08:00';
export const PARTY_HELD_AT = '2026-03-10T19:00:00+08:00';
export const PARTY_RECORDED_AT = '2026-03-11T09:00:00+08:00';
export const TABLED_AT = '2026-03-12T09:00:00+08:00';
export const DECIDED_AT = '2026-03-28T11:00:00+08:00';
export const RESOLVED_AT = '2026-03-28T12:00:00+08:00';
export const PUBLISHED_AT = '2026-03-29T09:00:00+08:00';
export const REPORTED_AT = '2026-05-10T09:00:00+08:00';
export const RESULTS_AT = '2026-06-01T09:00:00+08:00';
export const ORDERED_AT = '2026-04-02T10:00:00+08:00';

export const withData = <C extends ProposalCommand>(
  command: C,
  change: Record<string, unknown>,
): C => ({ ...command, data: { ...command.data, ...change } }) as C;

/** M2: what an AUTHORISATION proposal hands the representatives' assembly, by default. */
export const PUBLIC_WORKS_AUTHORISATION: AuthorisationSubject = {
  matters: ['PUBLIC_WORKS'],
  expiresAt: '2026-12-31T23:59:59+08:00',
};
/** M4: the plan version a PLAN_CONSENT proposal asks consent for, by default. */
export const PLAN_V1: PlanSubject = { planId: 'plan-1', version: 1 };

/** The subject the matter needs (M2, M4): none for the other matters. */
const subjectFor = (matter: Matter) => {
  if (matter === 'AUTHORISATION') return { authorisation: PUBLIC_WORKS_AUTHORISATION };
  if (matter === 'PLAN_CONSENT') return { plan: PLAN_V1 };
  return {};
};

export const draft = (matter: Matter = 'COLLECTIVE_INCOME_USE'): DraftProposal => ({
  type: 'DraftProposal',
  data: {
    proposalId: PROPOSAL_ID,
    villageId: VILLAGE_ID,
    title: 'Resurface the lane to the primary school',
    body: 'Spend 180,000 yuan of the collective income from the fish ponds on the school lane.',
    matter,
    proposer: { kind: 'COMMITTEE' },
    draftedBy: 'clerk-1',
    ...subjectFor(matter),
    at: DRAFTED_AT,
  },
});

/** Nine members of the two committees, all attending, seven agreeing. */
export const AGREED_JOINT: DeliberationCounts = { members: 9, attending: 9, agreeing: 7 };
/** Thirty Party members, twenty-four attending, twenty agreeing. */
export const AGREED_PARTY: DeliberationCounts = { members: 30, attending: 24, agreeing: 20 };

export const deliberate = (
  step: DeliberationStep,
  counts: DeliberationCounts = step === 'JOINT_COMMITTEES' ? AGREED_JOINT : AGREED_PARTY,
): RecordDeliberation => ({
  type: 'RecordDeliberation',
  data: {
    proposalId: PROPOSAL_ID,
    step,
    heldAt: step === 'JOINT_COMMITTEES' ? JOINT_HELD_AT : PARTY_HELD_AT,
    counts,
    minutesSha256: MINUTES,
    at: step === 'JOINT_COMMITTEES' ? JOINT_RECORDED_AT : PARTY_RECORDED_AT,
  },
});

export const table = (
  body: TableProposal['data']['body'] = 'VILLAGERS_ASSEMBLY',
  meetingId = MEETING_ID,
  at = TABLED_AT,
): TableProposal => ({
  type: 'TableProposal',
  data: { proposalId: PROPOSAL_ID, meetingId, itemId: ITEM_ID, body, at },
});

/**
 * A villagers' assembly of 120 members: 80 attend (A3), 60 vote for (A4). Built by hand as the
 * meeting would record it.
 */
export const passed = (change: Partial<ItemDecision> = {}): ItemDecision => ({
  meetingId: MEETING_ID,
  itemId: ITEM_ID,
  proposalId: PROPOSAL_ID,
  body: 'VILLAGERS_ASSEMBLY',
  matter: 'COLLECTIVE_INCOME_USE',
  outcome: 'PASSED',
  tally: { for: 60, against: 12, abstain: 5, notVoting: 3, attending: 80 },
  members: 120,
  judgements: [
    { ruleId: 'A3', met: true, actual: 80, required: 61, of: 120 },
    { ruleId: 'A4', met: true, actual: 60, required: 41, of: 80 },
  ],
  ruleBook: 'VCOL-2018',
  rules: ['A3', 'A4'],
  decidedAt: DECIDED_AT,
  ...change,
});

/** The same assembly, with only 30 of the 80 attending voting for. */
export const failed = (change: Partial<ItemDecision> = {}): ItemDecision =>
  passed({
    outcome: 'FAILED',
    tally: { for: 30, against: 40, abstain: 7, notVoting: 3, attending: 80 },
    judgements: [
      { ruleId: 'A3', met: true, actual: 80, required: 61, of: 120 },
      { ruleId: 'A4', met: false, actual: 30, required: 41, of: 80 },
    ],
    ...change,
  });

/** Attendance fell below the quorum before the vote closed. */
export const quorumLost = (change: Partial<ItemDecision> = {}): ItemDecision =>
  passed({
    outcome: 'QUORUM_LOST',
    tally: { for: 40, against: 10, abstain: 5, notVoting: 0, attending: 55 },
    judgements: [{ ruleId: 'A3', met: false, actual: 55, required: 61, of: 120 }],
    rules: ['A3'],
    ...change,
  });

/**
 * A representatives' assembly of 45 members: 36 attend (R4), 25 vote for (R4).
 */
export const passedByRepresentatives = (change: Partial<ItemDecision> = {}): ItemDecision =>
  passed({
    body: 'REPRESENTATIVES_ASSEMBLY',
    tally: { for: 25, against: 8, abstain: 2, notVoting: 1, attending: 36 },
    members: 45,
    judgements: [
      { ruleId: 'R4', met: true, actual: 36, required: 30, of: 45 },
      { ruleId: 'R4', met: true, actual: 25, required: 19, of: 36 },
    ],
    rules: ['R4'],
    ...change,
  });

export const resolve = (decision: ItemDecision = passed(), at = RESOLVED_AT): RecordResolution => ({
  type: 'RecordResolution',
  data: { proposalId: PROPOSAL_ID, decision, at },
});

export const publish = (publishedAt = PUBLISHED_AT, at = publishedAt): PublishResolution => ({
  type: 'PublishResolution',
  data: {
    proposalId: PROPOSAL_ID,
    publishedAt,
    notice: 'Posted on the village affairs board and in the village WeChat group',
    at,
  },
});

export const report = (
  authorisation?: ReportImplementation['data']['authorisation'],
): ReportImplementation => ({
  type: 'ReportImplementation',
  data: {
    proposalId: PROPOSAL_ID,
    summary: 'Lane resurfaced, 1.2 km; 176,400 yuan paid to the contractor',
    ...(authorisation ? { authorisation } : {}),
    at: REPORTED_AT,
  },
});

export const publishResults = (publishedAt = RESULTS_AT): PublishImplementationResults => ({
  type: 'PublishImplementationResults',
  data: {
    proposalId: PROPOSAL_ID,
    publishedAt,
    notice: 'Accounts of the lane works posted on the village affairs board',
    at: publishedAt,
  },
});

export const orderCorrection = (orderId = 'order-1', at = ORDERED_AT): OrderCorrection => ({
  type: 'OrderCorrection',
  data: {
    proposalId: PROPOSAL_ID,
    orderId,
    auditorId: 'auditor-1',
    legalBasis: 'VCOL Art. 27(2): the allocation excludes married-out women from the dividend',
    at,
  },
});

/** The events the decider records for these commands, given one after another. */
export function recorded(...commands: readonly ProposalCommand[]): ProposalEvent[] {
  let state = proposalDecider.initialState();
  return commands.flatMap((command) => {
    const decided = proposalDecider.decide(command, state);
    state = decided.reduce(proposalDecider.evolve, state);
    return decided;
  });
}

/** What the decider records for `command` after `given`: for outcomes checked in part. */
export const decided = (given: readonly ProposalEvent[], command: ProposalCommand) =>
  proposalDecider.decide(command, fold(proposalDecider, given));

export const stateAfter = (history: readonly ProposalEvent[]) => fold(proposalDecider, history);

/** Drafted, deliberated (step 2) and reviewed (step 3): ready to be tabled. */
export const reviewed = (matter?: Matter): ProposalCommand[] => [
  draft(matter),
  deliberate('JOINT_COMMITTEES'),
  deliberate('PARTY_MEMBERS'),
];

/** Reviewed, tabled, resolved from `decision` and the resolution published. */
export const publishedCommands = (decision: ItemDecision = passed()): ProposalCommand[] => [
  ...reviewed(decision.matter),
  table(decision.body),
  resolve(decision),
  publish(),
];
