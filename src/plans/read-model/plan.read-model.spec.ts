/** The plan's rows, from events as the decider records them: M4's notice is shown in days. */
import { type ItemDecision, judgePlanNotice, type plan } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { openReadDatabase } from '../../read-model/read-database';
import { planProjector } from './plan.projector';
import { PlanQueries } from './plan.queries';

const PLAN = 'b5b0ad3c-5c4b-4b8e-9d7c-2f1f6c1f8a01';
const ANNOUNCED = '2026-03-01T09:00:00+08:00';
const DECIDED = '2026-04-01T09:00:00+08:00';

const decision: ItemDecision = {
  meetingId: 'm-1',
  itemId: 'item-1',
  proposalId: 'p-1',
  body: 'VILLAGERS_ASSEMBLY',
  matter: 'PLAN_CONSENT',
  outcome: 'PASSED',
  tally: { for: 31, against: 0, abstain: 0, notVoting: 0, attending: 31 },
  members: 60,
  judgements: [],
  ruleBook: 'VCOL-2018',
  rules: ['A3', 'A4'],
  decidedAt: DECIDED,
};

const events: plan.PlanEvent[] = [
  {
    type: 'PlanDrafted',
    data: {
      planId: PLAN,
      villageId: 'qiaotou',
      kind: 'VILLAGE_LAYOUT',
      title: '布局规划',
      at: ANNOUNCED,
    },
  },
  {
    type: 'PlanVersionProposed',
    data: {
      planId: PLAN,
      version: 1,
      documentSha256: 'a'.repeat(64),
      summary: '第一稿',
      at: ANNOUNCED,
    },
  },
  {
    type: 'PlanDraftAnnounced',
    data: { planId: PLAN, version: 1, announcedAt: ANNOUNCED, at: ANNOUNCED },
  },
  {
    type: 'PlanConsentRecorded',
    data: {
      planId: PLAN,
      version: 1,
      decision,
      judgements: [judgePlanNotice(ANNOUNCED, DECIDED)],
      ruleBook: 'VCOL-2018',
      rules: ['M4'],
      at: DECIDED,
    },
  },
  {
    type: 'PlanVersionSubmitted',
    data: {
      planId: PLAN,
      version: 1,
      submittedTo: '安吉县人民政府',
      ruleBook: 'VCOL-2018',
      rules: ['M4'],
      at: DECIDED,
    },
  },
  {
    type: 'PlanVersionApproved',
    data: {
      planId: PLAN,
      version: 1,
      authority: '安吉县人民政府',
      approvedAt: DECIDED,
      ruleBook: 'VCOL-2018',
      rules: ['M4'],
      at: DECIDED,
    },
  },
];

describe('the plan read model', () => {
  let db: Database;
  beforeEach(() => {
    db = openReadDatabase('memory');
    db.exec(planProjector.schema);
    events.forEach((event, index) => {
      planProjector.apply(db, {
        ...event,
        id: `e-${index}`,
        stream: `plan-${PLAN}`,
        revision: BigInt(index),
        position: BigInt(index + 1),
        recordedAt: DECIDED,
        metadata: {},
      } as unknown as StoredEvent);
    });
  });
  afterEach(() => db.close());

  it('shows the approved version in force, with its consent and M4 notice in days', () => {
    const view = new PlanQueries(db).plan(PLAN);
    expect(view).toMatchObject({ villageId: 'qiaotou', currentVersion: 1 });
    expect(view?.versions).toEqual([
      expect.objectContaining({
        version: 1,
        status: 'APPROVED',
        announcedAt: ANNOUNCED,
        publicNotice: expect.objectContaining({
          ruleId: 'M4',
          met: true,
          days: 31,
          requiredDays: 30,
        }),
        consent: {
          meetingId: 'm-1',
          itemId: 'item-1',
          proposalId: 'p-1',
          body: 'VILLAGERS_ASSEMBLY',
          outcome: 'PASSED',
          decidedAt: DECIDED,
        },
        submittedTo: '安吉县人民政府',
        approvedBy: '安吉县人民政府',
        approvedAt: DECIDED,
      }),
    ]);
  });

  it('ignores the streams of other aggregates', () => {
    planProjector.apply(db, {
      ...events[0],
      id: 'other',
      stream: 'proposal-x',
      revision: 0n,
      position: 99n,
      recordedAt: DECIDED,
      metadata: {},
    } as unknown as StoredEvent);
    expect(new PlanQueries(db).plansOf('qiaotou', { first: 10 }).totalCount).toBe(1);
  });
});
