/**
 * Test support: small builders for meetings, rolls of any size, and histories made by running the
 * decider itself (so every event in a `given` is one the decider would have recorded).
 */
import type { Matter } from '../rule-book/vcol-2018';
import type { BallotChannel, Body, Choice, Gender, QuorumBasis } from '../shared/vocabulary';
import type {
  AgendaItem,
  AssemblySeat,
  ConveneMeeting,
  MeetingCommand,
  OpenMeeting,
  RollEntry,
} from './commands';
import type { MeetingEvent } from './events';
import { meetingDecider } from './meeting.decider';

export const MEETING_ID = 'meeting-1';
export const VILLAGE_ID = 'village-1';
export const NOTICE_AT = '2026-03-01T09:00:00+08:00';
export const SCHEDULED_AT = '2026-03-15T09:00:00+08:00';
export const MEETING_DATE = '2026-03-15';

/** The instant `minutes` after the scheduled start, on the meeting date. */
export function minutesIn(minutes: number): string {
  const hours = String(9 + Math.floor(minutes / 60)).padStart(2, '0');
  return `${MEETING_DATE}T${hours}:${String(minutes % 60).padStart(2, '0')}:00+08:00`;
}

export const ids = (count: number, prefix = 'v'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);

export const agendaItem = (itemId = 'item-1', matter: Matter = 'OTHER'): AgendaItem => ({
  itemId,
  proposalId: `proposal-${itemId}`,
  matter,
  title: `Agenda item ${itemId}`,
});

export function convene(
  body: Body = 'VILLAGERS_ASSEMBLY',
  overrides: Partial<ConveneMeeting['data']> = {},
): ConveneMeeting {
  return {
    type: 'ConveneMeeting',
    data: {
      meetingId: MEETING_ID,
      villageId: VILLAGE_ID,
      body,
      quorumBasis: 'MEMBERS' as QuorumBasis,
      scheduledAt: SCHEDULED_AT,
      noticeAt: NOTICE_AT,
      agenda: [agendaItem('item-1'), agendaItem('item-2', 'LAND_CONTRACTING_PLAN')],
      convenedBy: { kind: 'COMMITTEE' },
      at: NOTICE_AT,
      ...overrides,
    },
  };
}

/** Adults (born 1980), `perHousehold` to a household, women and men in turn. */
export function adults(count: number, perHousehold = 1, prefix = 'v'): RollEntry[] {
  return ids(count, prefix).map((villagerId, index) => ({
    villagerId,
    householdId: `h${Math.floor(index / perHousehold) + 1}`,
    birthDate: '1980-01-01',
    gender: (index % 2 === 0 ? 'FEMALE' : 'MALE') as Gender,
  }));
}

/** Each household represented by its first villager on the roll. */
export function firstOfEachHousehold(roll: readonly RollEntry[]): Record<string, string> {
  const representatives: Record<string, string> = {};
  for (const entry of roll) representatives[entry.householdId] ??= entry.villagerId;
  return representatives;
}

export function open(
  villagers: readonly RollEntry[],
  overrides: Partial<OpenMeeting['data']> = {},
): OpenMeeting {
  return {
    type: 'OpenMeeting',
    data: {
      meetingId: MEETING_ID,
      rollDate: MEETING_DATE,
      villagers,
      householdRepresentatives: firstOfEachHousehold(villagers),
      at: SCHEDULED_AT,
      ...overrides,
    },
  };
}

/**
 * A representatives' assembly of `members` seats, `committeeOnly` of them committee members who
 * are not representatives (taken from the end), `women` of the representatives women.
 */
export function assembly(
  members: number,
  { women, committeeOnly = 0 }: { women: number; committeeOnly?: number },
): { villagers: RollEntry[]; seats: AssemblySeat[] } {
  const seats = ids(members, 'r').map((villagerId, index) => ({
    villagerId,
    gender: (index < women ? 'FEMALE' : 'MALE') as Gender,
    representative: index < members - committeeOnly,
  }));
  const villagers = seats.map(({ villagerId, gender }, index) => ({
    villagerId,
    householdId: `h${index + 1}`,
    birthDate: '1970-06-01',
    gender,
  }));
  return { villagers, seats };
}

export function openAssembly(
  members: number,
  composition: { women: number; committeeOnly?: number },
): OpenMeeting {
  const { villagers, seats } = assembly(members, composition);
  return open(villagers, { assemblyMembers: seats });
}

export const checkIn = (villagerId: string, channel: 'ONLINE' | 'IN_PERSON' = 'IN_PERSON') =>
  ({
    type: 'CheckIn',
    data: { meetingId: MEETING_ID, villagerId, channel, at: minutesIn(5) },
  }) as const;

export const leave = (villagerId: string) =>
  ({ type: 'Leave', data: { meetingId: MEETING_ID, villagerId, at: minutesIn(20) } }) as const;

export const openVoting = (itemId = 'item-1') =>
  ({ type: 'OpenVoting', data: { meetingId: MEETING_ID, itemId, at: minutesIn(10) } }) as const;

export function ballot(
  villagerId: string,
  choice: Choice,
  options: { itemId?: string; channel?: BallotChannel; ballotId?: string } = {},
): MeetingCommand {
  const {
    itemId = 'item-1',
    channel = 'ONLINE',
    ballotId = `ballot-${itemId}-${villagerId}`,
  } = options;
  return {
    type: 'CastBallot',
    data: {
      meetingId: MEETING_ID,
      itemId,
      ballotId,
      villagerId,
      choice,
      channel,
      ...(channel === 'PAPER' ? { enteredBy: 'clerk-1' } : {}),
      at: minutesIn(15),
    },
  };
}

/** Ballots for the given voters, in order: `for` FOR, then `against` AGAINST, then ABSTAIN. */
export function ballots(
  voters: readonly string[],
  { for: inFavour, against = 0 }: { for: number; against?: number },
  itemId = 'item-1',
): MeetingCommand[] {
  return voters.map((villagerId, index) =>
    ballot(
      villagerId,
      index < inFavour ? 'FOR' : index < inFavour + against ? 'AGAINST' : 'ABSTAIN',
      { itemId },
    ),
  );
}

export const countersign = (itemId = 'item-1') =>
  ({
    type: 'CountersignPaperBallots',
    data: { meetingId: MEETING_ID, itemId, supervisorId: 'supervisor-1', at: minutesIn(25) },
  }) as const;

export const closeVoting = (itemId = 'item-1') =>
  ({ type: 'CloseVoting', data: { meetingId: MEETING_ID, itemId, at: minutesIn(30) } }) as const;

export const adjourn = () =>
  ({ type: 'AdjournMeeting', data: { meetingId: MEETING_ID, at: minutesIn(60) } }) as const;

/** The events the decider records for these commands, each decided on the state before it. */
export function history(...commands: readonly (MeetingCommand | readonly MeetingCommand[])[]) {
  const events: MeetingEvent[] = [];
  let state = meetingDecider.initialState();
  for (const command of commands.flat()) {
    for (const event of meetingDecider.decide(command, state)) {
      events.push(event);
      state = meetingDecider.evolve(state, event);
    }
  }
  return events;
}

export const checkIns = (villagerIds: readonly string[]) => villagerIds.map((id) => checkIn(id));

/** A villagers' assembly of these villagers, open, with these members checked in. */
export function sitting(villagers: readonly RollEntry[], present: readonly string[]) {
  return history(convene(), open(villagers), checkIns(present));
}

/** As `sitting`, with voting open on item-1 and then `more`. */
export function voting(
  villagers: readonly RollEntry[],
  present: readonly string[],
  ...more: readonly MeetingCommand[]
) {
  return history(convene(), open(villagers), checkIns(present), openVoting(), more);
}
