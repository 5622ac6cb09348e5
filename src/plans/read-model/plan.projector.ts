import type { plan } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * Plans as rows, with every version ever proposed: a superseded version stays, marked, as the
 * domain keeps it. Status follows the domain's state (DRAFT → ANNOUNCED → CONSENTED → SUBMITTED →
 * APPROVED, or SUPERSEDED); the consent keeps the whole decision and M4's public-notice judgement.
 */
export const planProjector: Projector = {
  name: 'plans',
  tables: ['plans', 'plan_versions'],
  schema: `
    CREATE TABLE IF NOT EXISTS plans (
      plan_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, village_id TEXT NOT NULL,
      kind TEXT NOT NULL, title TEXT NOT NULL, drafted_at TEXT NOT NULL,
      current_version INTEGER);
    CREATE INDEX IF NOT EXISTS plans_by_village ON plans (village_id, seq);
    CREATE TABLE IF NOT EXISTS plan_versions (
      plan_id TEXT NOT NULL, version INTEGER NOT NULL, document_sha256 TEXT NOT NULL,
      summary TEXT NOT NULL, status TEXT NOT NULL, proposed_at TEXT NOT NULL,
      amends INTEGER, announced_at TEXT, consent TEXT, public_notice TEXT,
      consent_recorded_at TEXT, submitted_to TEXT, submitted_at TEXT, approved_by TEXT,
      approved_at TEXT, superseded_by INTEGER,
      PRIMARY KEY (plan_id, version));`,
  apply(db: Database, stored: StoredEvent): void {
    if (!stored.stream.startsWith('plan-')) return;
    const event = { type: stored.type, data: stored.data } as plan.PlanEvent;
    const supersede = (planId: string, version: number | undefined, by: number) => {
      if (version === undefined) return;
      prepared(
        db,
        `UPDATE plan_versions SET status = 'SUPERSEDED', superseded_by = ?
         WHERE plan_id = ? AND version = ?`,
      ).run(by, planId, version);
    };
    switch (event.type) {
      case 'PlanDrafted': {
        const { planId, villageId, kind, title, at } = event.data;
        prepared(
          db,
          `INSERT INTO plans (plan_id, seq, village_id, kind, title, drafted_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(planId, Number(stored.position), villageId, kind, title, at);
        return;
      }
      case 'PlanVersionProposed': {
        const { planId, version, documentSha256, summary, amends, replaces, at } = event.data;
        supersede(planId, replaces, version);
        prepared(
          db,
          `INSERT INTO plan_versions (plan_id, version, document_sha256, summary, status,
             proposed_at, amends) VALUES (?, ?, ?, ?, 'DRAFT', ?, ?)`,
        ).run(planId, version, documentSha256, summary, at, amends ?? null);
        return;
      }
      case 'PlanDraftAnnounced': {
        const { planId, version, announcedAt } = event.data;
        prepared(
          db,
          `UPDATE plan_versions SET status = 'ANNOUNCED', announced_at = ?
           WHERE plan_id = ? AND version = ?`,
        ).run(announcedAt, planId, version);
        return;
      }
      case 'PlanConsentRecorded': {
        const { planId, version, decision, judgements, at } = event.data;
        const notice = judgements.find((judgement) => judgement.ruleId === 'M4');
        prepared(
          db,
          `UPDATE plan_versions SET status = 'CONSENTED', consent = ?, public_notice = ?,
             consent_recorded_at = ? WHERE plan_id = ? AND version = ?`,
        ).run(
          JSON.stringify(decision),
          notice === undefined ? null : JSON.stringify(notice),
          at,
          planId,
          version,
        );
        return;
      }
      case 'PlanVersionSubmitted': {
        const { planId, version, submittedTo, at } = event.data;
        prepared(
          db,
          `UPDATE plan_versions SET status = 'SUBMITTED', submitted_to = ?, submitted_at = ?
           WHERE plan_id = ? AND version = ?`,
        ).run(submittedTo, at, planId, version);
        return;
      }
      case 'PlanVersionApproved': {
        const { planId, version, authority, approvedAt, supersedes } = event.data;
        supersede(planId, supersedes, version);
        prepared(
          db,
          `UPDATE plan_versions SET status = 'APPROVED', approved_by = ?, approved_at = ?
           WHERE plan_id = ? AND version = ?`,
        ).run(authority, approvedAt, planId, version);
        prepared(db, 'UPDATE plans SET current_version = ? WHERE plan_id = ?').run(version, planId);
        return;
      }
    }
  },
};
