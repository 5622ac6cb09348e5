/** The words more than one aggregate uses (DOMAIN.md, "The words"). */
import type { Judgement, Matter, RuleId } from '../rule-book/vcol-2018';

export type Body = 'VILLAGERS_ASSEMBLY' | 'REPRESENTATIVES_ASSEMBLY';
export type QuorumBasis = 'MEMBERS' | 'HOUSEHOLDS';
export type Choice = 'FOR' | 'AGAINST' | 'ABSTAIN';
export type BallotChannel = 'ONLINE' | 'PAPER';
export type AttendanceChannel = 'ONLINE' | 'IN_PERSON';
export type Gender = 'FEMALE' | 'MALE';
export type ItemOutcome = 'PASSED' | 'FAILED' | 'QUORUM_LOST';

export interface Tally {
  readonly for: number;
  readonly against: number;
  readonly abstain: number;
  /** Attending members who cast no ballot: they count against (A4). */
  readonly notVoting: number;
  readonly attending: number;
}

/**
 * How a meeting decided one agenda item: what the meeting records when voting closes, and what a
 * proposal is resolved from.
 */
export interface ItemDecision {
  readonly meetingId: string;
  readonly itemId: string;
  readonly proposalId: string;
  readonly body: Body;
  readonly matter: Matter;
  readonly outcome: ItemOutcome;
  readonly tally: Tally;
  /** The size of the body's frozen roll: assembly members, or the representatives' assembly. */
  readonly members: number;
  readonly judgements: readonly Judgement[];
  readonly ruleBook: string;
  readonly rules: readonly RuleId[];
  readonly decidedAt: string;
}

/**
 * Exactly the fields of an ItemDecision. The meeting's ItemDecided event carries more (the counted
 * ballot ids); an aggregate that stores a decision keeps only the contract's fields.
 */
export function itemDecisionOf(decision: ItemDecision): ItemDecision {
  const { meetingId, itemId, proposalId, body, matter, outcome, tally, members } = decision;
  const { judgements, ruleBook, rules, decidedAt } = decision;
  return {
    meetingId,
    itemId,
    proposalId,
    body,
    matter,
    outcome,
    tally,
    members,
    judgements,
    ruleBook,
    rules,
    decidedAt,
  };
}
