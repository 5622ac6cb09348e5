/**
 * M4: the villagers' (or representatives') assembly consents to one version of the plan, after its
 * draft has been publicly announced for 30 days or more.
 */
import { judgePlanNotice, RULE_BOOK_VERSION, RULES } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import { type Body, itemDecisionOf, requireDecisionAgreesWithTally } from '../shared/vocabulary';
import type { RecordConsent } from './commands';
import type { PlanEvent } from './events';
import type { PlanState } from './state';
import { requireVersion } from './validate';
import { requirePlan, requireVersionInProgress } from './versions';

/** M4 accepts either assembly's consent. */
const BODIES: readonly Body[] = ['VILLAGERS_ASSEMBLY', 'REPRESENTATIVES_ASSEMBLY'];

export function recordConsent(data: RecordConsent['data'], state: PlanState): PlanEvent[] {
  const plan = requirePlan(state, data.planId);
  requireInstant(data.at, 'at');
  const { decision, consentFor } = data;
  if (typeof decision !== 'object' || decision === null) {
    refuse('INVALID_INPUT', 'decision must be the agenda item’s decision');
  }
  requireText(decision.meetingId, 'decision.meetingId');
  requireText(decision.itemId, 'decision.itemId');
  requireOneOf(decision.body, BODIES, 'decision.body');
  requireInstant(decision.decidedAt, 'decision.decidedAt');
  if (typeof consentFor !== 'object' || consentFor === null) {
    refuse('INVALID_INPUT', 'consentFor must name the plan and version voted on');
  }
  requireText(consentFor.planId, 'consentFor.planId');
  requireVersion(consentFor.version, 'consentFor.version');

  const entry = requireVersionInProgress(state, data.version);
  if (entry.announcedAt === undefined) {
    refuse('STEP_OUT_OF_ORDER', `version ${entry.version}'s draft was never announced`, 'M4');
  }
  if (entry.status !== 'ANNOUNCED') {
    refuse('STEP_OUT_OF_ORDER', `version ${entry.version} is already ${entry.status}`);
  }
  if (decision.matter !== 'PLAN_CONSENT' || decision.outcome !== 'PASSED') {
    refuse(
      'CONSENT_REQUIRED',
      `the decision is ${decision.outcome} on ${decision.matter}, not a passed PLAN_CONSENT`,
      'M4',
    );
  }
  requireDecisionAgreesWithTally(decision);
  if (consentFor.planId !== plan.planId || consentFor.version !== entry.version) {
    refuse(
      'CONSENT_REQUIRED',
      `the resolution consented to ${consentFor.planId} version ${consentFor.version}, not ${plan.planId} version ${entry.version}`,
      'M4',
    );
  }
  const notice = judgePlanNotice(entry.announcedAt, decision.decidedAt);
  if (!notice.met) {
    refuse(
      'PUBLIC_NOTICE_TOO_SHORT',
      `the draft was announced ${entry.announcedAt}, the assembly decided ${decision.decidedAt}: under ${RULES.M4.quantities.publicNoticeDays} days`,
      'M4',
    );
  }
  return [
    {
      type: 'PlanConsentRecorded',
      data: {
        planId: plan.planId,
        version: entry.version,
        decision: itemDecisionOf(decision),
        judgements: [notice],
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M4'],
        at: data.at,
      },
    },
  ];
}
