import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * Every event of a village, as stored: who, when, through which channel, caused by what. A
 * stream's village is learned from its first event (each aggregate's creating event names it;
 * a village stream is its own), so later events of the stream are filed under it too.
 */
export const auditTrailProjector: Projector = {
  name: 'audit-trail',
  tables: ['audit_trail', 'stream_villages'],
  schema: `
    CREATE TABLE IF NOT EXISTS stream_villages (stream TEXT PRIMARY KEY, village_id TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS audit_trail (
      seq INTEGER PRIMARY KEY, village_id TEXT NOT NULL, stream TEXT NOT NULL,
      revision TEXT NOT NULL, type TEXT NOT NULL, event_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, metadata TEXT NOT NULL,
      data TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS audit_trail_by_village ON audit_trail (village_id, seq);`,
  apply(db: Database, event: StoredEvent): void {
    const known = prepared(db, 'SELECT village_id FROM stream_villages WHERE stream = ?').get(
      event.stream,
    ) as { village_id: string } | undefined;
    const named = (event.data as { villageId?: unknown }).villageId;
    const villageId = known?.village_id ?? (typeof named === 'string' ? named : undefined);
    if (villageId === undefined) return;
    if (known === undefined) {
      prepared(db, 'INSERT INTO stream_villages (stream, village_id) VALUES (?, ?)').run(
        event.stream,
        villageId,
      );
    }
    prepared(
      db,
      `INSERT INTO audit_trail (seq, village_id, stream, revision, type, event_id, occurred_at,
         recorded_at, metadata, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      Number(event.position),
      villageId,
      event.stream,
      event.revision.toString(),
      event.type,
      event.id,
      event.metadata.occurredAt,
      event.recordedAt,
      JSON.stringify(event.metadata),
      JSON.stringify(event.data),
    );
  },
};
