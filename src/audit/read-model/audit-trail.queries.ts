import type { EventMetadata } from '@cunyi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { AuditEntry } from '../audit.types';

interface Row {
  seq: number;
  stream: string;
  revision: string;
  type: string;
  event_id: string;
  occurred_at: string;
  recorded_at: string;
  metadata: string;
  data: string;
}

@Injectable()
export class AuditTrailQueries {
  constructor(@Inject(READ_DATABASE) private readonly db: Database) {}

  trail(villageId: string, args: PageArgs): Connection<AuditEntry> {
    const rows = prepared(
      this.db,
      'SELECT * FROM audit_trail WHERE village_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(villageId, afterSeq(args.after), args.first + 1) as Row[];
    const { total } = prepared(
      this.db,
      'SELECT count(*) AS total FROM audit_trail WHERE village_id = ?',
    ).get(villageId) as { total: number };
    return connectionOf(rows, args, total, (row) => {
      const metadata = JSON.parse(row.metadata) as EventMetadata & { channel?: string };
      return {
        position: String(row.seq),
        eventId: row.event_id,
        stream: row.stream,
        revision: row.revision,
        type: row.type,
        occurredAt: row.occurred_at,
        recordedAt: row.recorded_at,
        actor:
          metadata.actor === undefined
            ? null
            : { subject: metadata.actor.subject, role: metadata.actor.role },
        channel: metadata.channel ?? null,
        correlationId: metadata.correlationId,
        causationId: metadata.causationId ?? null,
        data: row.data,
      };
    });
  }
}
