import { type ItemDecision, type Judgement, type plan, RULES } from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { Plan, PlanNotice, PlanVersion } from '../plan.types';

interface PlanRow {
  plan_id: string;
  seq: number;
  village_id: string;
  kind: plan.PlanKind;
  title: string;
  drafted_at: string;
  current_version: number | null;
}

interface VersionRow {
  version: number;
  document_sha256: string;
  summary: string;
  status: plan.VersionStatus;
  proposed_at: string;
  amends: number | null;
  announced_at: string | null;
  consent: string | null;
  public_notice: string | null;
  submitted_to: string | null;
  approved_by: string | null;
  approved_at: string | null;
  superseded_by: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Plans from the read model: public, every version with its path so far. */
@Injectable()
export class PlanQueries {
  constructor(@Inject(READ_DATABASE) private readonly db: Database) {}

  villageOf(planId: string): string | undefined {
    const row = prepared(this.db, 'SELECT village_id FROM plans WHERE plan_id = ?').get(planId) as
      | { village_id: string }
      | undefined;
    return row?.village_id;
  }

  plan(planId: string): Plan | undefined {
    const row = prepared(this.db, 'SELECT * FROM plans WHERE plan_id = ?').get(planId) as
      | PlanRow
      | undefined;
    return row === undefined ? undefined : this.view(row);
  }

  /**
   * `announcedOnly`: the plans the public may see — those with a draft announced (M4). Until then
   * a plan is the committee's working paper, read by the village's officers only.
   */
  plansOf(villageId: string, args: PageArgs, announcedOnly = false): Connection<Plan> {
    const where = announcedOnly
      ? `village_id = ? AND EXISTS (SELECT 1 FROM plan_versions v
           WHERE v.plan_id = plans.plan_id AND v.announced_at IS NOT NULL)`
      : 'village_id = ?';
    const rows = prepared(
      this.db,
      `SELECT * FROM plans WHERE ${where} AND seq > ? ORDER BY seq LIMIT ?`,
    ).all(villageId, afterSeq(args.after), args.first + 1) as PlanRow[];
    const { total } = prepared(this.db, `SELECT count(*) AS total FROM plans WHERE ${where}`).get(
      villageId,
    ) as { total: number };
    return connectionOf(rows, args, total, (row) => this.view(row));
  }

  private view(row: PlanRow): Plan {
    const versions = prepared(
      this.db,
      'SELECT * FROM plan_versions WHERE plan_id = ? ORDER BY version',
    ).all(row.plan_id) as VersionRow[];
    return {
      id: row.plan_id,
      villageId: row.village_id,
      kind: row.kind,
      title: row.title,
      draftedAt: row.drafted_at,
      versions: versions.map(versionView),
      currentVersion: row.current_version,
    };
  }
}

function versionView(row: VersionRow): PlanVersion {
  const consent = row.consent === null ? undefined : (JSON.parse(row.consent) as ItemDecision);
  return {
    version: row.version,
    documentSha256: row.document_sha256,
    summary: row.summary,
    status: row.status,
    proposedAt: row.proposed_at,
    amends: row.amends,
    announcedAt: row.announced_at,
    publicNotice:
      row.public_notice === null ? null : noticeView(JSON.parse(row.public_notice) as Judgement),
    consent:
      consent === undefined
        ? null
        : {
            meetingId: consent.meetingId,
            itemId: consent.itemId,
            proposalId: consent.proposalId,
            body: consent.body,
            outcome: consent.outcome,
            decidedAt: consent.decidedAt,
          },
    submittedTo: row.submitted_to,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    supersededBy: row.superseded_by,
  };
}

/** M4 is judged in milliseconds; shown in days. */
function noticeView(judgement: Judgement): PlanNotice {
  return {
    ruleId: judgement.ruleId,
    met: judgement.met,
    days: judgement.actual / DAY_MS,
    requiredDays: Math.round(judgement.required / DAY_MS),
    citation: RULES[judgement.ruleId].citation,
  };
}
