import { RULES, type RuleId } from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { Petition, RecallDemand } from '../petition.types';

interface PetitionRow {
  petition_id: string;
  seq: number;
  village_id: string;
  purpose: Petition['purpose'];
  signatories: Petition['signatories'];
  subject: string;
  recall: string | null;
  threshold: string;
  started_at: string;
  signature_count: number;
  threshold_reached_at: string | null;
  closed_at: string | null;
  closed_reason: string | null;
}

interface ThresholdJson {
  ruleId: RuleId;
  required: number;
  of: number;
}

/** Petitions from the read model. Who signed is asked for separately: the resolver guards it. */
@Injectable()
export class PetitionQueries {
  constructor(@Inject(READ_DATABASE) private readonly db: Database) {}

  villageOf(petitionId: string): string | undefined {
    const row = prepared(this.db, 'SELECT village_id FROM petitions WHERE petition_id = ?').get(
      petitionId,
    ) as { village_id: string } | undefined;
    return row?.village_id;
  }

  petition(petitionId: string): Petition | undefined {
    const row = prepared(this.db, 'SELECT * FROM petitions WHERE petition_id = ?').get(
      petitionId,
    ) as PetitionRow | undefined;
    return row === undefined ? undefined : view(row);
  }

  petitionsOf(villageId: string, args: PageArgs): Connection<Petition> {
    const rows = prepared(
      this.db,
      'SELECT * FROM petitions WHERE village_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(villageId, afterSeq(args.after), args.first + 1) as PetitionRow[];
    const { total } = prepared(
      this.db,
      'SELECT count(*) AS total FROM petitions WHERE village_id = ?',
    ).get(villageId) as { total: number };
    return connectionOf(rows, args, total, view);
  }

  hasSigned(petitionId: string, villagerId: string): boolean {
    return (
      prepared(
        this.db,
        'SELECT 1 FROM petition_signatures WHERE petition_id = ? AND villager_id = ?',
      ).get(petitionId, villagerId) !== undefined
    );
  }

  /** The signatures standing, in the order given. */
  signers(petitionId: string): string[] {
    return (
      prepared(
        this.db,
        'SELECT villager_id FROM petition_signatures WHERE petition_id = ? ORDER BY seq',
      ).all(petitionId) as { villager_id: string }[]
    ).map((row) => row.villager_id);
  }
}

function view(row: PetitionRow): Petition {
  const threshold = JSON.parse(row.threshold) as ThresholdJson;
  return {
    id: row.petition_id,
    villageId: row.village_id,
    purpose: row.purpose,
    signatories: row.signatories,
    subject: row.subject,
    recall: row.recall === null ? null : (JSON.parse(row.recall) as RecallDemand),
    threshold: { ...threshold, citation: RULES[threshold.ruleId].citation },
    signatureCount: row.signature_count,
    thresholdReached: row.threshold_reached_at !== null,
    thresholdReachedAt: row.threshold_reached_at,
    closedAt: row.closed_at,
    closedReason: row.closed_reason,
    startedAt: row.started_at,
  };
}
