import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { PlanKind } from './events';
import { planDecider } from './plan.decider';
import {
  AMENDED_DOCUMENT,
  announceDraft,
  approveVersion,
  consentDecision,
  DRAFTED_AT,
  decided,
  draftPlan,
  FIRST_DOCUMENT,
  PLAN_ID,
  proposeVersion,
  recordConsent,
  recorded,
  submitForApproval,
  wholePath,
} from './plan.fixtures';

const plan = specification(planDecider);
const ANNOUNCED_AT = '2026-06-01T09:00:00+08:00';
const LATER = '2026-09-01T09:00:00+08:00';
const proposed = recorded(draftPlan, proposeVersion(1));
const [announce, consent, submit, approve] = wholePath(1, ANNOUNCED_AT);
const approved = recorded(draftPlan, proposeVersion(1), announce, consent, submit, approve);

describe('drafting a plan', () => {
  it('records the kind of the "1+4" system and the title', () => {
    plan
      .given([])
      .when(draftPlan)
      .then([
        {
          type: 'PlanDrafted',
          data: {
            planId: PLAN_ID,
            villageId: 'village-1',
            kind: 'VILLAGE_LAYOUT',
            title: '下姜村村庄布局规划',
            at: DRAFTED_AT,
          },
        },
      ]);
  });

  it('a plan is drafted once, of a known kind', () => {
    plan.given(recorded(draftPlan)).when(draftPlan).thenRefuses('ALREADY_EXISTS');
    plan
      .given([])
      .when({ ...draftPlan, data: { ...draftPlan.data, kind: 'TOWN_MASTER' as PlanKind } })
      .thenRefuses('INVALID_INPUT');
  });

  it('commands on a plan never drafted are refused', () => {
    plan.given([]).when(proposeVersion(1)).thenRefuses('NOT_FOUND');
    plan.given([]).when(announceDraft(1, ANNOUNCED_AT)).thenRefuses('NOT_FOUND');
  });
});

describe('proposing a version', () => {
  it('records the document by its SHA-256', () => {
    plan
      .given(recorded(draftPlan))
      .when(proposeVersion(1))
      .then([
        {
          type: 'PlanVersionProposed',
          data: {
            planId: PLAN_ID,
            version: 1,
            documentSha256: FIRST_DOCUMENT,
            summary: 'Layout plan, version 1',
            at: DRAFTED_AT,
          },
        },
      ]);
  });

  it.each([
    ['version 2 before version 1', proposeVersion(2)],
    ['version 0', proposeVersion(0)],
    ['a fractional version', proposeVersion(1.5)],
    ['an uppercase hash', proposeVersion(1, FIRST_DOCUMENT.toUpperCase())],
    ['a short hash', proposeVersion(1, FIRST_DOCUMENT.slice(1))],
  ])('refuses %s', (_, command) => {
    plan.given(recorded(draftPlan)).when(command).thenRefuses('INVALID_INPUT');
  });

  it('a proposed version is never replaced under the same number', () => {
    plan.given(proposed).when(proposeVersion(1, AMENDED_DOCUMENT)).thenRefuses('VERSION_IMMUTABLE');
  });

  it('a new version before approval takes the unfinished one’s place', () => {
    const announced = [...proposed, ...decided(proposed, announceDraft(1, ANNOUNCED_AT))];
    const replaced = decided(announced, proposeVersion(2));
    expect(replaced).toMatchObject([{ data: { version: 2, replaces: 1 } }]);
    expect(replaced[0]?.data).not.toHaveProperty('amends');
    plan
      .given([...announced, ...replaced])
      .when(recordConsent(1, consentDecision('2026-07-01T09:00:00+08:00')))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });
});

describe('announcing, submitting and approving', () => {
  it('M4: the draft is announced publicly, once', () => {
    plan
      .given(proposed)
      .when(announce)
      .then([
        {
          type: 'PlanDraftAnnounced',
          data: { planId: PLAN_ID, version: 1, announcedAt: ANNOUNCED_AT, at: ANNOUNCED_AT },
        },
      ]);
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce))
      .when(announce)
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('an announcement or an approval is recorded once given, not before', () => {
    const early = { ...announce, data: { ...announce.data, at: '2026-05-31T09:00:00+08:00' } };
    plan.given(proposed).when(early).thenRefuses('INVALID_INPUT');
    const backdated = { ...approve, data: { ...approve.data, at: submit.data.at } };
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce, consent, submit))
      .when(backdated)
      .thenRefuses('INVALID_INPUT');
  });

  it('M4: a consented version is submitted to a named authority', () => {
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce, consent))
      .when(submit)
      .then([
        {
          type: 'PlanVersionSubmitted',
          data: {
            planId: PLAN_ID,
            version: 1,
            submittedTo: '淳安县人民政府',
            ruleBook: RULE_BOOK_VERSION,
            rules: ['M4'],
            at: submit.data.at,
          },
        },
      ]);
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce, consent, submit))
      .when(submit)
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('M4: only a submitted version is approved, and it becomes the blueprint', () => {
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce))
      .when(approve)
      .thenRefuses('CONSENT_REQUIRED', 'M4');
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce, consent))
      .when(approve)
      .thenRefuses('STEP_OUT_OF_ORDER');
    plan
      .given(recorded(draftPlan, proposeVersion(1), announce, consent, submit))
      .when(approve)
      .then([
        {
          type: 'PlanVersionApproved',
          data: {
            planId: PLAN_ID,
            version: 1,
            authority: '淳安县人民政府',
            approvedAt: approve.data.approvedAt,
            ruleBook: RULE_BOOK_VERSION,
            rules: ['M4'],
            at: approve.data.at,
          },
        },
      ]);
    expect(fold(planDecider, approved).currentVersion).toBe(1);
  });
});

describe('一张蓝图绘到底: an approved version is never edited', () => {
  it.each([
    ['re-proposed', proposeVersion(1, AMENDED_DOCUMENT, LATER)],
    ['announced again', announceDraft(1, LATER)],
    ['consented to again', recordConsent(1, consentDecision(LATER))],
    ['submitted again', submitForApproval(1, LATER)],
    ['approved again', approveVersion(1, LATER)],
  ])('M4: an approved version cannot be %s', (_, command) => {
    plan.given(approved).when(command).thenRefuses('VERSION_IMMUTABLE', 'M4');
  });

  it('M4: an amendment goes through notice and consent again', () => {
    const amending = [
      ...approved,
      ...decided(approved, proposeVersion(2, AMENDED_DOCUMENT, LATER)),
    ];
    expect(amending.at(-1)).toMatchObject({ data: { version: 2, amends: 1 } });
    expect(fold(planDecider, amending).currentVersion).toBe(1);
    plan.given(amending).when(submitForApproval(2, LATER)).thenRefuses('CONSENT_REQUIRED', 'M4');
    plan
      .given(amending)
      .when(recordConsent(2, consentDecision('2026-10-01T09:00:00+08:00')))
      .thenRefuses('STEP_OUT_OF_ORDER', 'M4');
    const announced = [...amending, ...decided(amending, announceDraft(2, LATER))];
    plan
      .given(announced)
      .when(recordConsent(2, consentDecision('2026-10-01T08:59:59+08:00')))
      .thenRefuses('PUBLIC_NOTICE_TOO_SHORT', 'M4');
    // Version 1's consent is no consent to version 2.
    plan
      .given(announced)
      .when(recordConsent(2, consent.data.decision, { planId: PLAN_ID, version: 1 }))
      .thenRefuses('CONSENT_REQUIRED', 'M4');
  });
});
