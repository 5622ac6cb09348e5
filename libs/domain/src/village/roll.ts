/**
 * What other aggregates need to know about a village, as plain data: a command handler reads the
 * village's state, calls one of these, and puts the result in its command (a meeting opening
 * carries `rollOn`, a representatives' meeting its `representativesAssembly` and, for an M1
 * matter, its `liveAuthorisation`).
 */
import { type Judgement, judgeRepresentativesAssembly, type Matter } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import type { Gender } from '../shared/vocabulary';
import type { Authorisation, Villager, VillageState } from './state';

export interface RollEntry {
  readonly villagerId: string;
  readonly name: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly householdId: string;
}

export interface Roll {
  readonly villageId: string;
  /** YYYY-MM-DD: the day the roll is of. */
  readonly date: string;
  /** In registration order. */
  readonly villagers: readonly RollEntry[];
  /** Households with someone on the roll: an empty household has no one to represent it (A3, R2). */
  readonly households: readonly string[];
  /** householdId → the villager who represented it that day, where one on the roll did. */
  readonly householdRepresentatives: Readonly<Record<string, string>>;
}

export interface AssemblySeat {
  readonly villagerId: string;
  readonly gender: Gender;
  /** A representative, rather than (only) a committee member. */
  readonly representative: boolean;
}

export interface RepresentativesAssembly {
  readonly villageId: string;
  /** Committee members first, then the other representatives; each person once. */
  readonly members: readonly AssemblySeat[];
  /** R1: representatives' share, then women representatives' share. */
  readonly judgements: readonly [Judgement, Judgement];
  /** R1: the assembly cannot sit unless both hold. */
  readonly maySit: boolean;
}

/** On the roll that day: registered by then and not yet removed (a removal's date is its first day off). */
export function isOnRollOn(villager: Villager, date: string): boolean {
  return (
    villager.registeredOn <= date &&
    (villager.removal === undefined || date < villager.removal.effectiveDate)
  );
}

/** Removals are never recorded ahead of their date, so a removed villager is off the roll now. */
export const isActive = (villager: Villager | undefined): villager is Villager =>
  villager !== undefined && villager.removal === undefined;

function villageIdOf(state: VillageState): string {
  return state.village?.villageId ?? refuse('NOT_FOUND', 'no village is registered on this stream');
}

export function rollOn(state: VillageState, date: string): Roll {
  const villagers = [...state.villagers.values()].filter((villager) => isOnRollOn(villager, date));
  const onRoll = new Set(villagers.map((villager) => villager.villagerId));
  const households = [...new Set(villagers.map((villager) => villager.householdId))];
  const householdRepresentatives: Record<string, string> = {};
  for (const householdId of households) {
    const designations = state.households.get(householdId)?.designations ?? [];
    const current = designations.filter((designation) => designation.since <= date).at(-1);
    if (current !== undefined && onRoll.has(current.villagerId)) {
      householdRepresentatives[householdId] = current.villagerId;
    }
  }
  return {
    villageId: villageIdOf(state),
    date,
    villagers: villagers.map(({ villagerId, name, gender, birthDate, householdId }) => ({
      villagerId,
      name,
      gender,
      birthDate,
      householdId,
    })),
    households,
    householdRepresentatives,
  };
}

/** The seats of the assembly a committee and a set of representatives make, leaving out the removed. */
export function seatsOf(
  state: VillageState,
  committeeIds: readonly string[],
  representativeIds: readonly string[],
): AssemblySeat[] {
  const representatives = new Set(representativeIds);
  return [...new Set([...committeeIds, ...representativeIds])]
    .map((villagerId) => state.villagers.get(villagerId))
    .filter(isActive)
    .map(({ villagerId, gender }) => ({
      villagerId,
      gender,
      representative: representatives.has(villagerId),
    }));
}

/**
 * R1. Art 25(1) reads 妇女村民代表应当占村民代表会议组成人员的三分之一以上: it is women
 * *representatives* who must be a third of all members, so a woman who sits only as a committee
 * member does not count toward it.
 */
export function judgeSeats(seats: readonly AssemblySeat[]): [Judgement, Judgement] {
  const representatives = seats.filter((seat) => seat.representative);
  return judgeRepresentativesAssembly({
    members: seats.length,
    representatives: representatives.length,
    women: representatives.filter((seat) => seat.gender === 'FEMALE').length,
  });
}

export function representativesAssembly(state: VillageState): RepresentativesAssembly {
  const members = seatsOf(state, state.committeeIds, state.representativeIds);
  const judgements = judgeSeats(members);
  return {
    villageId: villageIdOf(state),
    members,
    judgements,
    maySit: judgements.every((judgement) => judgement.met),
  };
}

/**
 * M2: the authorisation that lets the representatives' assembly decide `matter` at instant `at`:
 * from the granting resolution until it expires or the assembly's revoking resolution. Where more
 * than one covers the matter, the latest granted.
 */
export function liveAuthorisation(
  state: VillageState,
  matter: Matter,
  at: string,
): Authorisation | undefined {
  const instant = Date.parse(at);
  const granted = (authorisation: Authorisation) => Date.parse(authorisation.resolution.decidedAt);
  const live = [...state.authorisations.values()].filter(
    (authorisation) =>
      authorisation.matters.includes(matter) &&
      granted(authorisation) <= instant &&
      (authorisation.expiresAt === undefined || instant < Date.parse(authorisation.expiresAt)) &&
      (authorisation.revocation === undefined ||
        instant < Date.parse(authorisation.revocation.resolution.decidedAt)),
  );
  return live.sort((a, b) => granted(b) - granted(a))[0];
}
