import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { forbidden } from '../common/errors';
import type { Actor } from './actor';

/**
 * Whether an actor acts for a village: its own villagers, clerk and supervisors; the auditors of
 * its township; integrators read public data of every village. A village's township is read from
 * the event that registered it (it never changes), once per village.
 */
@Injectable()
export class Scope {
  private readonly townships = new Map<string, string>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async covers(actor: Actor, villageId: string | undefined): Promise<boolean> {
    if (villageId === undefined) return false;
    switch (actor.role) {
      case 'VILLAGER':
      case 'CLERK':
      case 'SUPERVISOR':
        return actor.villageId === villageId;
      case 'TOWNSHIP_AUDITOR':
        return (await this.townshipOf(villageId)) === actor.township;
      case 'INTEGRATOR':
        return true;
    }
  }

  /** FORBIDDEN unless the actor acts for the village; an unknown village is refused the same way. */
  async require(actor: Actor, villageId: string | undefined): Promise<void> {
    if (!(await this.covers(actor, villageId))) throw forbidden();
  }

  private async townshipOf(villageId: string): Promise<string | undefined> {
    const known = this.townships.get(villageId);
    if (known !== undefined) return known;
    for await (const event of this.store.readStream(`village-${villageId}`, { maxCount: 1 })) {
      const { township } = event.data as { township?: string };
      if (event.type === 'VillageRegistered' && typeof township === 'string') {
        this.townships.set(villageId, township);
        return township;
      }
    }
    return undefined;
  }
}
