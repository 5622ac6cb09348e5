import type { petition } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * Petitions as rows, and the signatures standing on each (a withdrawn one is gone, as in the
 * domain's state). Signer ids are kept here for the village's officers; the queries decide who
 * sees them. Who was eligible is not copied: the threshold row carries how many.
 */
export const petitionProjector: Projector = {
  name: 'petitions',
  tables: ['petitions', 'petition_signatures'],
  schema: `
    CREATE TABLE IF NOT EXISTS petitions (
      petition_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, village_id TEXT NOT NULL,
      purpose TEXT NOT NULL, signatories TEXT NOT NULL, subject TEXT NOT NULL, recall TEXT,
      threshold TEXT NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL,
      signature_count INTEGER NOT NULL DEFAULT 0, threshold_reached_at TEXT,
      closed_at TEXT, closed_reason TEXT);
    CREATE INDEX IF NOT EXISTS petitions_by_village ON petitions (village_id, seq);
    CREATE TABLE IF NOT EXISTS petition_signatures (
      petition_id TEXT NOT NULL, villager_id TEXT NOT NULL, seq INTEGER NOT NULL,
      signed_at TEXT NOT NULL, PRIMARY KEY (petition_id, villager_id));`,
  apply(db: Database, stored: StoredEvent): void {
    if (!stored.stream.startsWith('petition-')) return;
    const event = { type: stored.type, data: stored.data } as petition.PetitionEvent;
    const seq = Number(stored.position);
    switch (event.type) {
      case 'PetitionStarted': {
        const d = event.data;
        prepared(
          db,
          `INSERT INTO petitions (petition_id, seq, village_id, purpose, signatories, subject,
             recall, threshold, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.petitionId,
          seq,
          d.villageId,
          d.purpose,
          d.signatories,
          d.subject,
          d.recall === undefined ? null : JSON.stringify(d.recall),
          JSON.stringify(d.threshold),
          d.startedBy,
          d.at,
        );
        return;
      }
      case 'PetitionSigned': {
        const { petitionId, villagerId, signatures, at } = event.data;
        prepared(
          db,
          `INSERT INTO petition_signatures (petition_id, villager_id, seq, signed_at)
           VALUES (?, ?, ?, ?)`,
        ).run(petitionId, villagerId, seq, at);
        prepared(db, 'UPDATE petitions SET signature_count = ? WHERE petition_id = ?').run(
          signatures,
          petitionId,
        );
        return;
      }
      case 'SignatureWithdrawn': {
        const { petitionId, villagerId, signatures } = event.data;
        prepared(
          db,
          'DELETE FROM petition_signatures WHERE petition_id = ? AND villager_id = ?',
        ).run(petitionId, villagerId);
        prepared(db, 'UPDATE petitions SET signature_count = ? WHERE petition_id = ?').run(
          signatures,
          petitionId,
        );
        return;
      }
      case 'PetitionThresholdReached': {
        const { petitionId, dueSince } = event.data;
        prepared(db, 'UPDATE petitions SET threshold_reached_at = ? WHERE petition_id = ?').run(
          dueSince,
          petitionId,
        );
        return;
      }
      case 'PetitionClosed': {
        const { petitionId, reason, at } = event.data;
        prepared(
          db,
          'UPDATE petitions SET closed_at = ?, closed_reason = ? WHERE petition_id = ?',
        ).run(at, reason, petitionId);
        return;
      }
    }
  },
};
