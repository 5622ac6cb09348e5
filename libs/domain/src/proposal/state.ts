import type { Judgement, Matter, RuleId } from '../rule-book/vcol-2018';
import type { Body, ItemOutcome, Tally } from '../shared/vocabulary';
import type {
  AuthorisationSubject,
  DeliberationCounts,
  DeliberationStep,
  PlanSubject,
  ProposalEvent,
  Proposer,
} from './events';

/** Where the proposal stands on the path of 四议两公开, for readers (GraphQL). */
export const PROPOSAL_STEPS = [
  'PROPOSED',
  'DELIBERATED',
  'REVIEWED',
  'TABLED',
  'RESOLVED',
  'RESOLUTION_PUBLISHED',
  'IMPLEMENTED',
  'RESULTS_PUBLISHED',
  'WITHDRAWN',
  'SUSPENDED',
] as const;
export type ProposalStep = (typeof PROPOSAL_STEPS)[number];

export interface Proposal {
  readonly proposalId: string;
  readonly villageId: string;
  readonly title: string;
  readonly body: string;
  readonly matter: Matter;
  readonly proposer: Proposer;
  readonly draftedBy: string;
  /** M2: what an AUTHORISATION proposal hands over; absent on one drafted before it was recorded. */
  readonly authorisation?: AuthorisationSubject;
  /** M4: the plan version a PLAN_CONSENT proposal asks consent for; absent likewise. */
  readonly plan?: PlanSubject;
  readonly draftedAt: string;
}

export interface Deliberation {
  readonly step: DeliberationStep;
  readonly heldAt: string;
  readonly counts: DeliberationCounts;
  readonly minutesSha256: string;
  readonly agreed: boolean;
  readonly judgements: readonly Judgement[];
  readonly recordedAt: string;
}

export interface Tabling {
  readonly meetingId: string;
  readonly itemId: string;
  readonly body: Body;
  readonly fourDeliberationsRequired: boolean;
  readonly tabledAt: string;
}

export interface Publication {
  readonly publishedAt: string;
  readonly notice: string;
  readonly recordedAt: string;
}

export interface ResolutionPublication extends Publication {
  readonly dueBy: string;
  readonly late: boolean;
}

export interface ImplementationReport {
  readonly summary: string;
  readonly authorisationId?: string;
  readonly reportedAt: string;
}

export interface CorrectionOrder {
  readonly orderId: string;
  readonly auditorId: string;
  readonly legalBasis: string;
  readonly orderedAt: string;
}

/** A meeting's decision on the proposal, and what followed from it. */
export interface Resolution {
  readonly meetingId: string;
  readonly itemId: string;
  readonly body: Body;
  readonly outcome: ItemOutcome;
  readonly tally: Tally;
  readonly members: number;
  readonly judgements: readonly Judgement[];
  readonly decidedAt: string;
  readonly ruleBook: string;
  readonly rules: readonly RuleId[];
  readonly recordedAt: string;
  readonly publication?: ResolutionPublication;
  readonly implementationReports: readonly ImplementationReport[];
  readonly resultsPublication?: Publication;
  /** C2: the order against this resolution. The resolution itself is never changed by it. */
  readonly correction?: CorrectionOrder;
}

/**
 * Histories are kept whole, oldest first: a failed sitting or a failed vote stays on record next
 * to the one that followed it. The n-th resolution answers the n-th tabling.
 */
export interface ProposalState {
  readonly proposal?: Proposal;
  readonly step?: ProposalStep;
  readonly deliberations: readonly Deliberation[];
  readonly tablings: readonly Tabling[];
  readonly resolutions: readonly Resolution[];
  /** C2: the standing correction order, until a new passed resolution lifts it. */
  readonly suspension?: CorrectionOrder;
  readonly withdrawal?: { readonly reason: string; readonly withdrawnAt: string };
}

export function initialProposalState(): ProposalState {
  return { deliberations: [], tablings: [], resolutions: [] };
}

export const currentResolution = (state: ProposalState): Resolution | undefined =>
  state.resolutions.at(-1);

/** Tabled to a meeting that has not yet decided it. */
export const awaitingResolution = (state: ProposalState): boolean =>
  state.tablings.length > state.resolutions.length;

export const agreedSitting = (
  state: ProposalState,
  step: DeliberationStep,
): Deliberation | undefined =>
  state.deliberations.find((sitting) => sitting.step === step && sitting.agreed);

function stepOf(state: ProposalState): ProposalStep {
  if (state.withdrawal) return 'WITHDRAWN';
  if (awaitingResolution(state)) return 'TABLED';
  if (state.suspension) return 'SUSPENDED';
  const resolution = currentResolution(state);
  if (resolution?.resultsPublication) return 'RESULTS_PUBLISHED';
  if (resolution && resolution.implementationReports.length > 0) return 'IMPLEMENTED';
  if (resolution?.publication) return 'RESOLUTION_PUBLISHED';
  if (resolution) return 'RESOLVED';
  if (agreedSitting(state, 'PARTY_MEMBERS')) return 'REVIEWED';
  if (agreedSitting(state, 'JOINT_COMMITTEES')) return 'DELIBERATED';
  return 'PROPOSED';
}

function withCurrentResolution(
  state: ProposalState,
  change: (resolution: Resolution) => Resolution,
): ProposalState {
  const resolution = currentResolution(state);
  if (!resolution) return state;
  return { ...state, resolutions: [...state.resolutions.slice(0, -1), change(resolution)] };
}

function apply(state: ProposalState, event: ProposalEvent): ProposalState {
  switch (event.type) {
    case 'ProposalDrafted': {
      const { at, ...proposal } = event.data;
      return { ...state, proposal: { ...proposal, draftedAt: at } };
    }
    case 'DeliberationRecorded': {
      const { step, heldAt, counts, minutesSha256, agreed, judgements, at } = event.data;
      const sitting = { step, heldAt, counts, minutesSha256, agreed, judgements, recordedAt: at };
      return { ...state, deliberations: [...state.deliberations, sitting] };
    }
    case 'ProposalTabled': {
      const { meetingId, itemId, body, fourDeliberationsRequired, at } = event.data;
      const tabling = { meetingId, itemId, body, fourDeliberationsRequired, tabledAt: at };
      return { ...state, tablings: [...state.tablings, tabling] };
    }
    case 'ProposalResolved': {
      const { proposalId: _, at, ...decision } = event.data;
      const resolution = { ...decision, recordedAt: at, implementationReports: [] };
      return { ...state, resolutions: [...state.resolutions, resolution] };
    }
    case 'ProposalSuspensionLifted': {
      const { suspension: _, ...lifted } = state;
      return lifted;
    }
    case 'ResolutionPublished': {
      const { publishedAt, notice, dueBy, late, at } = event.data;
      const publication = { publishedAt, notice, dueBy, late, recordedAt: at };
      return withCurrentResolution(state, (resolution) => ({ ...resolution, publication }));
    }
    case 'ImplementationReported': {
      const { summary, authorisationId, at } = event.data;
      const report = {
        summary,
        ...(authorisationId === undefined ? {} : { authorisationId }),
        reportedAt: at,
      };
      return withCurrentResolution(state, (resolution) => ({
        ...resolution,
        implementationReports: [...resolution.implementationReports, report],
      }));
    }
    case 'ImplementationResultsPublished': {
      const { publishedAt, notice, at } = event.data;
      const resultsPublication = { publishedAt, notice, recordedAt: at };
      return withCurrentResolution(state, (resolution) => ({ ...resolution, resultsPublication }));
    }
    case 'ProposalWithdrawn':
      return { ...state, withdrawal: { reason: event.data.reason, withdrawnAt: event.data.at } };
    case 'CorrectionOrdered': {
      const { orderId, auditorId, legalBasis, at } = event.data;
      const correction = { orderId, auditorId, legalBasis, orderedAt: at };
      return {
        ...withCurrentResolution(state, (resolution) => ({ ...resolution, correction })),
        suspension: correction,
      };
    }
  }
}

export function evolveProposal(state: ProposalState, event: ProposalEvent): ProposalState {
  const next = apply(state, event);
  return { ...next, step: stepOf(next) };
}
