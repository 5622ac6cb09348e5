import type { EventStore } from '@cunyi/event-store';
import { Logger } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { Projections } from '../read-model/projections';
import { transparencyLogProjector } from './log.projector';

export const LOG_DATABASE = Symbol('LOG_DATABASE');
export const LOG_PROJECTIONS = Symbol('LOG_PROJECTIONS');

/** The log follows the store like the read model does, with its own checkpoint in its own file. */
export function logProjections(store: EventStore, db: Database): Projections {
  const logger = new Logger('TransparencyLog');
  return new Projections(store, db, [transparencyLogProjector], {
    name: transparencyLogProjector.name,
    onError: (error, event) =>
      logger.error(
        `the log stopped at ${event.type} (position ${event.position}): ${String(error)}`,
      ),
  });
}
