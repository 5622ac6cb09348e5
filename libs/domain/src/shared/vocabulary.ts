/** The words more than one aggregate uses (DOMAIN.md, "The words"). */
import {
  isM3Matter,
  type Judgement,
  judgeAssemblyDecision,
  judgeLandMatterDecision,
  judgeRepresentativesDecision,
  type Matter,
  type RuleId,
} from '../rule-book/vcol-2018';
import { refuse } from './domain-error';

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

/**
 * A decision handed from one aggregate to another must agree with its own tally: the deciding
 * judgement (A4 or R4 on FOR against those attending, M3 for land matters) is judged again here,
 * and the outcome must follow from the judgements. A PASSED decision with no ballots behind it,
 * or a land matter judged by simple majority, is refused.
 */
export function requireDecisionAgreesWithTally(decision: ItemDecision): void {
  // Annotated, so that TypeScript narrows after a call (a `never` call is an assertion).
  const inconsistent: (why: string) => never = (why) =>
    refuse('INVALID_INPUT', `decision ${decision.meetingId}/${decision.itemId}: ${why}`);
  const quorum = decision.judgements.find((j) => j.ruleId === 'A3' || j.ruleId === 'R4');
  if (quorum === undefined) inconsistent('it shows no quorum judgement (A3 or R4)');
  if (decision.outcome === 'QUORUM_LOST') {
    if (quorum.met) inconsistent('QUORUM_LOST with its quorum met');
    return;
  }
  if (!quorum.met) inconsistent(`${decision.outcome} without a quorum`);
  const { tally } = decision;
  const land = isM3Matter(decision.matter);
  const deciding = land
    ? decision.judgements.find((j) => j.ruleId === 'M3')
    : decision.judgements
        .filter((j) => j.ruleId === (decision.body === 'VILLAGERS_ASSEMBLY' ? 'A4' : 'R4'))
        .at(-1);
  if (deciding === undefined || deciding === quorum) {
    inconsistent(
      land ? 'a land matter must be judged under M3' : 'it shows no A4/R4 decision judgement',
    );
  }
  const again = land
    ? judgeLandMatterDecision(deciding.actual, deciding.of)
    : decision.body === 'VILLAGERS_ASSEMBLY'
      ? judgeAssemblyDecision(tally.for, tally.attending)
      : judgeRepresentativesDecision(tally.for, tally.attending);
  const fromTally = land
    ? deciding.actual <= tally.for && deciding.of <= decision.members
    : deciding.actual === tally.for && deciding.of === tally.attending;
  if (!fromTally || again.met !== deciding.met || again.required !== deciding.required) {
    inconsistent(`its ${deciding.ruleId} judgement does not follow from its tally`);
  }
  const passed = decision.judgements.every((j) => j.met);
  if ((decision.outcome === 'PASSED') !== passed) {
    inconsistent(`${decision.outcome} does not follow from its judgements`);
  }
}
