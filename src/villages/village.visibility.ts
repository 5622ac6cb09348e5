import { Injectable } from '@nestjs/common';
import type { Actor, Role } from '../auth/actor';
import { Scope } from '../auth/scope';
import type { VillageFilter } from './read-model/village.queries';
import type { Villager } from './village.types';

/** Who keeps, supervises or audits a village's roll, and so sees it whole. */
export const OFFICERS: ReadonlySet<Role> = new Set(['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR']);

/**
 * Which villages a listing shows: an integrator all of them, an auditor those of their township,
 * anyone else their own village. Undefined when the caller may see none of those asked for.
 */
export function villageFilterFor(actor: Actor, township?: string): VillageFilter | undefined {
  switch (actor.role) {
    case 'INTEGRATOR':
      return township === undefined ? {} : { township };
    case 'TOWNSHIP_AUDITOR':
      if (actor.township === undefined) return undefined;
      if (township !== undefined && township !== actor.township) return undefined;
      return { township: actor.township };
    default:
      if (actor.villageId === undefined) return undefined;
      return { villageId: actor.villageId, ...(township === undefined ? {} : { township }) };
  }
}

/** The roll's personal data (names, genders, birth dates) and who may read it. */
@Injectable()
export class VillageVisibility {
  constructor(private readonly scope: Scope) {}

  /** The officers of the village; an integrator or a villager never sees the roll whole. */
  async seesRoll(actor: Actor | undefined, villageId: string): Promise<boolean> {
    if (actor === undefined || !OFFICERS.has(actor.role)) return false;
    return this.scope.covers(actor, villageId);
  }

  /** The villager themselves, or an officer of their village. An integrator never. */
  async seesPersonal(actor: Actor | undefined, villager: Villager): Promise<boolean> {
    if (actor === undefined || actor.role === 'INTEGRATOR') return false;
    if (isSelf(actor, villager)) return true;
    return this.seesRoll(actor, villager.villageId);
  }
}

/** A villager's or supervisor's token names them by their villager id (auth/actor.ts). */
export function isSelf(actor: Actor, villager: Villager): boolean {
  return (
    (actor.role === 'VILLAGER' || actor.role === 'SUPERVISOR') &&
    actor.subject === villager.id &&
    actor.villageId === villager.villageId
  );
}
