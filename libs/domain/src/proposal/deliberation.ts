/** Steps 2 (商议) and 3 (审议): recorded from their minutes, judged, and kept in the F1 order. */
import { meets, moreThan, smallestMeeting } from '../rule-book/threshold';
import {
  type Judgement,
  judgePartyMeeting,
  RULE_BOOK_VERSION,
  type RuleId,
} from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { millisBetween } from '../shared/time';
import { practiceOf, requireInstantNotAfter, requireOneOf } from '../shared/validate';
import type { RecordDeliberation } from './commands';
import { DELIBERATION_STEPS, type DeliberationCounts, type DeliberationRecorded } from './events';
import { agreedSitting, type ProposalState } from './state';
import { requireDeliberationCounts, requireSha256 } from './validate';

/**
 * Neither the law nor the rule book sets a threshold for the joint meeting of the two committees.
 * The practice of 四议两公开 (F1) is that it agrees as any meeting does: more than half of those
 * attending. This is practice, not law, and it lives here because only step 2 uses it.
 */
const JOINT_MEETING_AGREEMENT = moreThan(1, 2);

function judgeJointMeeting(counts: DeliberationCounts): Judgement {
  return {
    ruleId: 'F1',
    met: meets(counts.agreeing, counts.attending, JOINT_MEETING_AGREEMENT),
    actual: counts.agreeing,
    required: smallestMeeting(counts.attending, JOINT_MEETING_AGREEMENT),
    of: counts.attending,
  };
}

export function recordDeliberation(
  command: RecordDeliberation,
  state: ProposalState,
): DeliberationRecorded[] {
  const { proposalId, step, at } = command.data;
  requireOneOf(step, DELIBERATION_STEPS, 'step');
  const heldAt = requireInstantNotAfter(command.data.heldAt, at, 'heldAt');
  const counts = requireDeliberationCounts(command.data.counts);
  const minutesSha256 = requireSha256(command.data.minutesSha256, 'minutesSha256');
  const practice = practiceOf(command.data.practice);

  if (state.tablings.length > 0) {
    refuse('STEP_OUT_OF_ORDER', 'steps 2 and 3 come before the proposal is tabled', 'F1');
  }
  if (agreedSitting(state, step)) {
    refuse('STEP_OUT_OF_ORDER', `${step} has already agreed to this proposal`, 'F1');
  }
  if (step === 'PARTY_MEMBERS') {
    const joint = agreedSitting(state, 'JOINT_COMMITTEES');
    if (!joint) {
      refuse('STEP_OUT_OF_ORDER', 'the Party members review what the joint meeting agreed', 'F1');
    }
    if (millisBetween(joint.heldAt, heldAt) < 0) {
      refuse('STEP_OUT_OF_ORDER', 'the Party members’ meeting was held before step 2', 'F1');
    }
  }

  const judgements =
    step === 'JOINT_COMMITTEES' ? [judgeJointMeeting(counts)] : judgePartyMeeting(counts, practice);
  const rules: RuleId[] = step === 'JOINT_COMMITTEES' ? ['F1'] : ['F1', 'F2'];
  return [
    {
      type: 'DeliberationRecorded',
      data: {
        proposalId,
        step,
        heldAt,
        counts,
        minutesSha256,
        agreed: judgements.every((judgement) => judgement.met),
        judgements,
        ruleBook: RULE_BOOK_VERSION,
        rules,
        at,
      },
    },
  ];
}
