/**
 * A village layout plan carried through (一张蓝图绘到底): version 1 is announced, consented to by
 * the assembly, submitted and approved; version 2 amends it by the same path. Version 1 stays in
 * the history, approved and then superseded, and can never be edited.
 */
import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { days } from '../shared/time';
import { specification } from '../testing/given-when-then';
import type { PlanCommand } from './commands';
import type { PlanEvent } from './events';
import { planDecider } from './plan.decider';
import {
  AMENDED_DOCUMENT,
  announceDraft,
  approveVersion,
  consentDecision,
  draftPlan,
  FIRST_DOCUMENT,
  PLAN_ID,
  proposeVersion,
  recordConsent,
  submitForApproval,
} from './plan.fixtures';

const plan = specification(planDecider);

it('M4: a plan is approved, then amended by the same path; the first blueprint is never edited', () => {
  const log: PlanEvent[] = [];
  const step = (command: PlanCommand): PlanEvent[] => {
    const events = plan.given(log).when(command).events();
    log.push(...events);
    return events;
  };
  const state = () => fold(planDecider, log);

  // Version 1: drafted, announced on 1 June, consented to 30 days later, submitted, approved.
  step(draftPlan);
  step(proposeVersion(1, FIRST_DOCUMENT, '2026-05-25T09:00:00+08:00'));
  step(announceDraft(1, '2026-06-01T09:00:00+08:00'));
  expect(step(recordConsent(1, consentDecision('2026-07-01T09:00:00+08:00')))).toMatchObject([
    {
      type: 'PlanConsentRecorded',
      data: {
        judgements: [{ ruleId: 'M4', met: true, actual: days(30) }],
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M4'],
      },
    },
  ]);
  step(submitForApproval(1, '2026-07-03T09:00:00+08:00'));
  expect(step(approveVersion(1, '2026-08-10T10:00:00+08:00'))).toEqual([
    {
      type: 'PlanVersionApproved',
      data: {
        planId: PLAN_ID,
        version: 1,
        authority: '淳安县人民政府',
        approvedAt: '2026-08-10T10:00:00+08:00',
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M4'],
        at: '2026-08-10T10:00:00+08:00',
      },
    },
  ]);
  expect(state().currentVersion).toBe(1);

  // Version 2 amends it; version 1 stays the blueprint in force until version 2 is approved.
  expect(step(proposeVersion(2, AMENDED_DOCUMENT, '2027-03-01T09:00:00+08:00'))).toMatchObject([
    { data: { version: 2, amends: 1 } },
  ]);
  plan
    .given(log)
    .when(submitForApproval(2, '2027-03-02T09:00:00+08:00'))
    .thenRefuses('CONSENT_REQUIRED', 'M4');
  step(announceDraft(2, '2027-03-05T09:00:00+08:00'));
  plan
    .given(log)
    .when(recordConsent(2, consentDecision('2027-04-04T08:00:00+08:00')))
    .thenRefuses('PUBLIC_NOTICE_TOO_SHORT', 'M4');
  step(recordConsent(2, consentDecision('2027-04-04T09:00:00+08:00')));
  step(submitForApproval(2, '2027-04-06T09:00:00+08:00'));
  expect(state().currentVersion).toBe(1);
  expect(step(approveVersion(2, '2027-05-20T10:00:00+08:00'))).toMatchObject([
    { data: { version: 2, supersedes: 1 } },
  ]);

  // Version 2 is the blueprint; version 1 is in the history, approved and then superseded.
  const [first, second] = state().versions;
  expect(state().currentVersion).toBe(2);
  expect(second).toMatchObject({ status: 'APPROVED', documentSha256: AMENDED_DOCUMENT });
  expect(first).toMatchObject({
    version: 1,
    status: 'SUPERSEDED',
    documentSha256: FIRST_DOCUMENT,
    approval: { authority: '淳安县人民政府', approvedAt: '2026-08-10T10:00:00+08:00' },
    supersededBy: 2,
  });
  for (const edit of [
    proposeVersion(1, AMENDED_DOCUMENT, '2027-06-01T09:00:00+08:00'),
    announceDraft(1, '2027-06-01T09:00:00+08:00'),
    submitForApproval(1, '2027-06-01T09:00:00+08:00'),
    approveVersion(1, '2027-06-01T09:00:00+08:00'),
  ]) {
    plan.given(log).when(edit).thenRefuses('VERSION_IMMUTABLE', 'M4');
  }
});
