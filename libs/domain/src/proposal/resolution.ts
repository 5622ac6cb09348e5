/** Step 4 (决议): tabling the proposal, recording the meeting's decision, and C2 correction orders. */
import { RULE_BOOK_VERSION, type RuleId } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { millisBetween } from '../shared/time';
import { practiceOf, requireOneOf, requireText } from '../shared/validate';
import type { OrderCorrection, RecordResolution, TableProposal } from './commands';
import { BODIES, requireItemDecision } from './decision';
import type {
  CorrectionOrdered,
  ProposalResolved,
  ProposalSuspensionLifted,
  ProposalTabled,
} from './events';
import {
  agreedSitting,
  awaitingResolution,
  currentResolution,
  type Proposal,
  type ProposalState,
} from './state';

export function tableProposal(command: TableProposal, state: ProposalState): ProposalTabled[] {
  const { proposalId, meetingId, itemId, body, at } = command.data;
  requireText(meetingId, 'meetingId');
  requireText(itemId, 'itemId');
  requireOneOf(body, BODIES, 'body');
  const { fourDeliberationsRequired } = practiceOf(command.data.practice);

  const pending = awaitingResolution(state) ? state.tablings.at(-1) : undefined;
  if (pending) {
    refuse(
      'STEP_OUT_OF_ORDER',
      `already tabled as item ${pending.itemId} of meeting ${pending.meetingId}`,
      'F1',
    );
  }
  // C2: a suspended resolution goes back to the villagers; otherwise a passed one is final.
  if (currentResolution(state)?.outcome === 'PASSED' && !state.suspension) {
    refuse('STEP_OUT_OF_ORDER', 'the proposal has already been resolved', 'F1');
  }
  const deliberated =
    agreedSitting(state, 'JOINT_COMMITTEES') && agreedSitting(state, 'PARTY_MEMBERS');
  if (fourDeliberationsRequired && !deliberated) {
    refuse(
      'STEP_OUT_OF_ORDER',
      'no vote before step 2 (商议) and step 3 (审议) are on record and agreed',
      'F1',
    );
  }

  const rules: RuleId[] = [
    ...(fourDeliberationsRequired ? (['F1'] as const) : []),
    ...(state.suspension ? (['C2'] as const) : []),
  ];
  return [
    {
      type: 'ProposalTabled',
      data: {
        proposalId,
        meetingId,
        itemId,
        body,
        fourDeliberationsRequired,
        ruleBook: RULE_BOOK_VERSION,
        rules,
        at,
      },
    },
  ];
}

export function recordResolution(
  command: RecordResolution,
  state: ProposalState,
  proposal: Proposal,
): (ProposalResolved | ProposalSuspensionLifted)[] {
  const { proposalId, at } = command.data;
  const decision = requireItemDecision(command.data.decision, at);
  if (decision.proposalId !== proposalId) {
    refuse('INVALID_INPUT', `the decision is on proposal ${decision.proposalId}`);
  }
  const tabling = awaitingResolution(state) ? state.tablings.at(-1) : undefined;
  if (!tabling) {
    refuse('STEP_OUT_OF_ORDER', 'the proposal is not tabled to any meeting', 'F1');
  }
  if (decision.meetingId !== tabling.meetingId || decision.itemId !== tabling.itemId) {
    refuse(
      'STEP_OUT_OF_ORDER',
      `the proposal is tabled as item ${tabling.itemId} of meeting ${tabling.meetingId}`,
      'F1',
    );
  }
  if (decision.body !== tabling.body) {
    refuse('INVALID_INPUT', `the proposal was tabled to the ${tabling.body}`);
  }
  if (decision.matter !== proposal.matter) {
    refuse('INVALID_INPUT', `the proposal's matter is ${proposal.matter}`);
  }
  if (millisBetween(tabling.tabledAt, decision.decidedAt) < 0) {
    refuse('STEP_OUT_OF_ORDER', 'the decision was taken before the proposal was tabled', 'F1');
  }

  const { meetingId, itemId, body, outcome, tally, members, judgements, decidedAt } = decision;
  const resolved: ProposalResolved = {
    type: 'ProposalResolved',
    data: {
      proposalId,
      meetingId,
      itemId,
      body,
      outcome,
      tally,
      members,
      judgements,
      decidedAt,
      ruleBook: decision.ruleBook,
      rules: [...new Set<RuleId>([...decision.rules, 'F1'])],
      at,
    },
  };
  if (!state.suspension || outcome !== 'PASSED') return [resolved];
  return [
    resolved,
    {
      type: 'ProposalSuspensionLifted',
      data: {
        proposalId,
        orderId: state.suspension.orderId,
        meetingId,
        itemId,
        ruleBook: RULE_BOOK_VERSION,
        rules: ['C2'],
        at,
      },
    },
  ];
}

export function orderCorrection(
  command: OrderCorrection,
  state: ProposalState,
): CorrectionOrdered[] {
  const { proposalId, orderId, auditorId, legalBasis, at } = command.data;
  requireText(orderId, 'orderId');
  requireText(auditorId, 'auditorId');
  requireText(legalBasis, 'legalBasis');
  if (state.resolutions.some((resolution) => resolution.correction?.orderId === orderId)) {
    refuse('ALREADY_EXISTS', `correction order ${orderId} is already on record`);
  }
  if (state.suspension) {
    refuse('PROPOSAL_SUSPENDED', `already suspended by order ${state.suspension.orderId}`, 'C2');
  }
  const resolution = currentResolution(state);
  if (!resolution || resolution.outcome === 'QUORUM_LOST') {
    refuse('RESOLUTION_REQUIRED', 'the township orders a decision corrected; none was taken', 'C2');
  }
  if (awaitingResolution(state)) {
    refuse('STEP_OUT_OF_ORDER', 'the proposal is before a new meeting: await its decision', 'C2');
  }
  return [
    {
      type: 'CorrectionOrdered',
      data: {
        proposalId,
        orderId,
        auditorId,
        legalBasis,
        meetingId: resolution.meetingId,
        itemId: resolution.itemId,
        ruleBook: RULE_BOOK_VERSION,
        rules: ['C2'],
        at,
      },
    },
  ];
}
