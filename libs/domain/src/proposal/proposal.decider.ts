/**
 * The proposal (议题) on its way through 四议两公开: drafted (提议), deliberated (商议), reviewed
 * (审议), tabled and resolved (决议), the resolution published (决议公开), carried out, and the
 * results published (实施结果公开). F1 keeps the order; C2 lets the township suspend a decision
 * but never change it.
 */
import { MATTERS } from '../rule-book/vcol-2018';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import type { DraftProposal, ProposalCommand, WithdrawProposal } from './commands';
import { recordDeliberation } from './deliberation';
import { PROPOSER_KINDS, type ProposalDrafted, type ProposalEvent, type Proposer } from './events';
import {
  publishImplementationResults,
  publishResolution,
  reportImplementation,
} from './publication';
import { orderCorrection, recordResolution, tableProposal } from './resolution';
import { evolveProposal, initialProposalState, type Proposal, type ProposalState } from './state';
import { requireAuthorisationSubject, requirePlanSubject } from './validate';

export type { ProposalState, ProposalStep } from './state';

function requireProposer(value: unknown): Proposer {
  const proposer = (value ?? {}) as { kind?: unknown; petitionId?: unknown };
  requireOneOf(proposer.kind, PROPOSER_KINDS, 'proposer.kind');
  if (proposer.kind !== 'PETITION') return { kind: proposer.kind };
  requireText(proposer.petitionId, 'proposer.petitionId');
  return { kind: 'PETITION', petitionId: proposer.petitionId };
}

/**
 * What the villagers vote on must say it: an AUTHORISATION proposal names what it hands over (M2),
 * a PLAN_CONSENT proposal the plan version it consents to (M4). Any other matter carries neither,
 * so a subject can never ride along on a proposal that does not put it to the vote.
 */
function subjectOf({ matter, authorisation, plan, at }: DraftProposal['data']) {
  if (matter !== 'AUTHORISATION' && authorisation != null) {
    refuse('INVALID_INPUT', `a ${matter} proposal hands over no authorisation`, 'M2');
  }
  if (matter !== 'PLAN_CONSENT' && plan != null) {
    refuse('INVALID_INPUT', `a ${matter} proposal asks no consent to a plan`, 'M4');
  }
  if (matter === 'AUTHORISATION') {
    return { authorisation: requireAuthorisationSubject(authorisation, at) };
  }
  if (matter === 'PLAN_CONSENT') return { plan: requirePlanSubject(plan) };
  return {};
}

function draftProposal(command: DraftProposal, state: ProposalState): ProposalDrafted[] {
  const { proposalId, villageId, title, body, matter, draftedBy, at } = command.data;
  requireText(villageId, 'villageId');
  requireText(title, 'title');
  requireText(body, 'body');
  requireOneOf(matter, MATTERS, 'matter');
  const proposer = requireProposer(command.data.proposer);
  requireText(draftedBy, 'draftedBy');
  const subject = subjectOf(command.data);
  if (state.proposal) refuse('ALREADY_EXISTS', `proposal ${proposalId} has already been drafted`);
  return [
    {
      type: 'ProposalDrafted',
      data: { proposalId, villageId, title, body, matter, proposer, draftedBy, ...subject, at },
    },
  ];
}

function withdrawProposal(command: WithdrawProposal, state: ProposalState): ProposalEvent[] {
  const { proposalId, reason, at } = command.data;
  requireText(reason, 'reason');
  if (state.tablings.length > 0) {
    refuse('STEP_OUT_OF_ORDER', 'a proposal can be withdrawn only before it is tabled', 'F1');
  }
  return [{ type: 'ProposalWithdrawn', data: { proposalId, reason, at } }];
}

/** A withdrawn proposal is closed to every command: the record of it stays as it was. */
function requireOpenProposal(state: ProposalState, proposalId: string): Proposal {
  if (state.proposal?.proposalId !== proposalId) {
    refuse('NOT_FOUND', `proposal ${proposalId} has not been drafted`);
  }
  if (state.withdrawal) refuse('PROPOSAL_WITHDRAWN', `proposal ${proposalId} was withdrawn`);
  return state.proposal;
}

function decide(command: ProposalCommand, state: ProposalState): ProposalEvent[] {
  requireText(command.data.proposalId, 'proposalId');
  requireInstant(command.data.at, 'at');
  if (command.type === 'DraftProposal') return draftProposal(command, state);
  const proposal = requireOpenProposal(state, command.data.proposalId);
  switch (command.type) {
    case 'RecordDeliberation':
      return recordDeliberation(command, state);
    case 'TableProposal':
      return tableProposal(command, state);
    case 'RecordResolution':
      return recordResolution(command, state, proposal);
    case 'PublishResolution':
      return publishResolution(command, state, proposal);
    case 'ReportImplementation':
      return reportImplementation(command, state, proposal);
    case 'PublishImplementationResults':
      return publishImplementationResults(command, state);
    case 'WithdrawProposal':
      return withdrawProposal(command, state);
    case 'OrderCorrection':
      return orderCorrection(command, state);
    default: {
      const unknown: never = command;
      return refuse('INVALID_INPUT', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export const proposalDecider: Decider<ProposalCommand, ProposalEvent, ProposalState> = {
  decide,
  evolve: evolveProposal,
  initialState: initialProposalState,
};
