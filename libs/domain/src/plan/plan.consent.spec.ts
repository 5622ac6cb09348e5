import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { days } from '../shared/time';
import type { Body } from '../shared/vocabulary';
import { specification } from '../testing/given-when-then';
import { planDecider } from './plan.decider';
import {
  announceDraft,
  consentDecision,
  draftPlan,
  PLAN_ID,
  proposeVersion,
  recordConsent,
  recorded,
  submitForApproval,
} from './plan.fixtures';

const plan = specification(planDecider);
const ANNOUNCED_AT = '2026-06-01T09:00:00+08:00';
const THIRTY_DAYS_LATER = '2026-07-01T09:00:00+08:00';
const announced = recorded(draftPlan, proposeVersion(1), announceDraft(1, ANNOUNCED_AT));

describe("M4: the assembly's consent to a version", () => {
  it('M4: 29 days 23 hours of public notice is refused', () => {
    plan
      .given(announced)
      .when(recordConsent(1, consentDecision('2026-07-01T08:00:00+08:00')))
      .thenRefuses('PUBLIC_NOTICE_TOO_SHORT', 'M4');
  });

  it('M4: exactly 30 days is accepted', () => {
    const decision = consentDecision(THIRTY_DAYS_LATER);
    plan
      .given(announced)
      .when(recordConsent(1, decision))
      .then([
        {
          type: 'PlanConsentRecorded',
          data: {
            planId: PLAN_ID,
            version: 1,
            decision,
            judgements: [
              { ruleId: 'M4', met: true, actual: days(30), required: days(30), of: days(30) },
            ],
            ruleBook: RULE_BOOK_VERSION,
            rules: ['M4'],
            at: THIRTY_DAYS_LATER,
          },
        },
      ]);
  });

  it('M4: 31 days is accepted', () => {
    const decision = consentDecision('2026-07-02T09:00:00+08:00');
    expect(plan.given(announced).when(recordConsent(1, decision)).events()).toMatchObject([
      { type: 'PlanConsentRecorded' },
    ]);
  });

  it('M4: notice is counted between instants, whatever offset they are written in', () => {
    plan
      .given(announced)
      .when(recordConsent(1, consentDecision('2026-07-01T00:59:59Z')))
      .thenRefuses('PUBLIC_NOTICE_TOO_SHORT', 'M4');
    expect(
      plan
        .given(announced)
        .when(recordConsent(1, consentDecision('2026-07-01T01:00:00Z')))
        .events(),
    ).toHaveLength(1);
  });

  it('M4: consent must name this version', () => {
    const decision = consentDecision(THIRTY_DAYS_LATER);
    plan
      .given(announced)
      .when(recordConsent(1, decision, { planId: PLAN_ID, version: 2 }))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
    plan
      .given(announced)
      .when(recordConsent(1, decision, { planId: 'plan-other', version: 1 }))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
  });

  it.each([
    ['FAILED', { outcome: 'FAILED' }],
    ['QUORUM_LOST', { outcome: 'QUORUM_LOST' }],
    ['a decision on another matter', { matter: 'PUBLIC_WORKS' }],
  ] as const)('M4: %s is no consent', (_, change) => {
    plan
      .given(announced)
      .when(recordConsent(1, consentDecision(THIRTY_DAYS_LATER, change)))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
  });

  it("M4: the representatives' assembly may consent in the villagers' place", () => {
    // 30 of 36 seats attend (R4 quorum ≥ 24), 20 of them FOR (R4: > 15).
    const decision = consentDecision(THIRTY_DAYS_LATER, {
      body: 'REPRESENTATIVES_ASSEMBLY',
      tally: { for: 20, against: 8, abstain: 2, notVoting: 0, attending: 30 },
      members: 36,
      judgements: [
        { ruleId: 'R4', met: true, actual: 30, required: 24, of: 36 },
        { ruleId: 'R4', met: true, actual: 20, required: 16, of: 30 },
      ],
      rules: ['R4'],
    });
    expect(plan.given(announced).when(recordConsent(1, decision)).events()).toHaveLength(1);
  });

  it('M4: a PASSED consent with no ballots behind it is refused', () => {
    const forged = consentDecision(THIRTY_DAYS_LATER, {
      tally: { for: 0, against: 0, abstain: 0, notVoting: 0, attending: 0 },
      members: 0,
      judgements: [
        { ruleId: 'A3', met: true, actual: 0, required: 0, of: 0 },
        { ruleId: 'A4', met: true, actual: 0, required: 0, of: 0 },
      ],
    });
    plan.given(announced).when(recordConsent(1, forged)).thenRefuses('INVALID_INPUT');
  });

  it('M4: a draft never announced cannot be consented to', () => {
    plan
      .given(recorded(draftPlan, proposeVersion(1)))
      .when(recordConsent(1, consentDecision(THIRTY_DAYS_LATER)))
      .thenRefuses('STEP_OUT_OF_ORDER', 'M4');
  });

  it('a version is consented to once', () => {
    const consented = recorded(
      draftPlan,
      proposeVersion(1),
      announceDraft(1, ANNOUNCED_AT),
      recordConsent(1, consentDecision(THIRTY_DAYS_LATER)),
    );
    plan
      .given(consented)
      .when(recordConsent(1, consentDecision('2026-07-02T09:00:00+08:00')))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('M4: no submission for approval without consent', () => {
    plan
      .given(announced)
      .when(submitForApproval(1, THIRTY_DAYS_LATER))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
    plan
      .given(recorded(draftPlan, proposeVersion(1)))
      .when(submitForApproval(1, THIRTY_DAYS_LATER))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
  });

  it.each([
    ['no meeting', { meetingId: '' }],
    ['an unknown body', { body: 'PARTY_MEMBERS_MEETING' as Body }],
    ['no decision time', { decidedAt: '2026-07-01' }],
  ])('refuses a decision with %s', (_, change) => {
    plan
      .given(announced)
      .when(
        recordConsent(1, consentDecision(THIRTY_DAYS_LATER, change), undefined, THIRTY_DAYS_LATER),
      )
      .thenRefuses('INVALID_INPUT');
  });
});
