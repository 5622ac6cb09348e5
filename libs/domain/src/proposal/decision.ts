/**
 * The meeting's decision on an item, as the command handler passes it in. The meeting aggregate
 * judged it; the proposal checks that it is whole and does not contradict itself: its deciding
 * judgement must follow from its own tally.
 */
import { MATTERS, RULE_BOOK_VERSION, RULE_IDS } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import {
  requireCount,
  requireInstantNotAfter,
  requireOneOf,
  requireText,
} from '../shared/validate';
import { type ItemDecision, requireDecisionAgreesWithTally } from '../shared/vocabulary';

export const BODIES = ['VILLAGERS_ASSEMBLY', 'REPRESENTATIVES_ASSEMBLY'] as const;
const OUTCOMES = ['PASSED', 'FAILED', 'QUORUM_LOST'] as const;

function requireTally(decision: ItemDecision): void {
  const tally = decision.tally ?? {};
  for (const field of ['for', 'against', 'abstain', 'notVoting', 'attending'] as const) {
    requireCount(tally[field], `decision.tally.${field}`);
  }
  if (tally.for + tally.against + tally.abstain + tally.notVoting !== tally.attending) {
    refuse('INVALID_INPUT', 'decision.tally must account for every member attending');
  }
  requireCount(decision.members, 'decision.members');
  if (tally.attending > decision.members) {
    refuse('INVALID_INPUT', 'decision.tally.attending cannot exceed decision.members');
  }
}

function requireJudgements(decision: ItemDecision): void {
  if (!Array.isArray(decision.judgements)) {
    refuse('INVALID_INPUT', 'decision.judgements must be a list');
  }
  for (const judgement of decision.judgements) {
    requireOneOf(judgement?.ruleId, RULE_IDS, 'decision.judgements[].ruleId');
    if (typeof judgement.met !== 'boolean') {
      refuse('INVALID_INPUT', 'decision.judgements[].met must be true or false');
    }
    if (![judgement.actual, judgement.required, judgement.of].every(Number.isFinite)) {
      refuse('INVALID_INPUT', 'decision.judgements[] must give actual, required and of as numbers');
    }
  }
  if (!Array.isArray(decision.rules) || decision.rules.length === 0) {
    refuse('INVALID_INPUT', 'decision.rules must name the rules it was judged under');
  }
  for (const ruleId of decision.rules) requireOneOf(ruleId, RULE_IDS, 'decision.rules[]');
  // A meeting passes an item only when every rule it judged the item under was met.
  const allMet = decision.judgements.every((judgement) => judgement.met);
  if (decision.outcome === 'PASSED' && (decision.judgements.length === 0 || !allMet)) {
    refuse('INVALID_INPUT', 'a PASSED decision must show the judgements it passed, all met');
  }
}

export function requireItemDecision(value: unknown, at: string): ItemDecision {
  if (typeof value !== 'object' || value === null) {
    refuse('INVALID_INPUT', 'decision must be the meeting’s decision on the item');
  }
  const decision = value as ItemDecision;
  requireText(decision.meetingId, 'decision.meetingId');
  requireText(decision.itemId, 'decision.itemId');
  requireText(decision.proposalId, 'decision.proposalId');
  requireOneOf(decision.body, BODIES, 'decision.body');
  requireOneOf(decision.matter, MATTERS, 'decision.matter');
  requireOneOf(decision.outcome, OUTCOMES, 'decision.outcome');
  if (decision.ruleBook !== RULE_BOOK_VERSION) {
    refuse('INVALID_INPUT', `decision.ruleBook must be ${RULE_BOOK_VERSION}`);
  }
  requireInstantNotAfter(decision.decidedAt, at, 'decision.decidedAt');
  requireTally(decision);
  requireJudgements(decision);
  requireDecisionAgreesWithTally(decision);
  return decision;
}
