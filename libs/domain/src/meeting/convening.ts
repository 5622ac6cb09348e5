/** Convening a meeting with notice (A2, R3) and opening it on a frozen roll (A1, R1). */
import {
  DEFAULT_PRACTICE,
  isOfAge,
  judgeNotice,
  judgeRepresentativesAssembly,
  MATTERS,
  RULE_BOOK_VERSION,
} from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { dateOf } from '../shared/time';
import { requireDate, requireInstant, requireOneOf, requireText } from '../shared/validate';
import type {
  AgendaItem,
  AssemblySeat,
  ConvenedBy,
  ConveneMeeting,
  OpenMeeting,
  RollEntry,
} from './commands';
import type { MeetingConvened, MeetingOpened } from './events';
import { requireMeeting } from './guards';
import type { MeetingState } from './state';
import { requireDistinct, requireList } from './validate';

const BODIES = ['VILLAGERS_ASSEMBLY', 'REPRESENTATIVES_ASSEMBLY'] as const;
const QUORUM_BASES = ['MEMBERS', 'HOUSEHOLDS'] as const;
const GENDERS = ['FEMALE', 'MALE'] as const;

function agendaOf(agenda: unknown): AgendaItem[] {
  requireList(agenda, 'agenda');
  const items = agenda.map((entry) => {
    const { itemId, proposalId, matter, title } = (entry ?? {}) as AgendaItem;
    requireText(itemId, 'agenda itemId');
    requireText(proposalId, 'agenda proposalId');
    requireOneOf(matter, MATTERS, 'agenda matter');
    requireText(title, 'agenda title');
    return { itemId, proposalId, matter, title };
  });
  requireDistinct(
    items.map((item) => item.itemId),
    'agenda',
  );
  return items;
}

/** A2 / R3: a petition obliges the committee to convene only once its threshold is reached. */
function convenedByOf(convenedBy: unknown, body: ConveneMeeting['data']['body']): ConvenedBy {
  const { kind } = (convenedBy ?? {}) as ConvenedBy;
  requireOneOf(kind, ['COMMITTEE', 'PETITION'] as const, 'convenedBy.kind');
  if (kind === 'COMMITTEE') return { kind };
  const { petitionId, thresholdReached } = convenedBy as ConvenedBy & { kind: 'PETITION' };
  requireText(petitionId, 'convenedBy.petitionId');
  if (typeof thresholdReached !== 'boolean') {
    refuse('INVALID_INPUT', 'convenedBy.thresholdReached must be true or false');
  }
  if (!thresholdReached) {
    refuse(
      'NOT_CONVENED_BY_COMMITTEE_OR_PETITION',
      `petition ${petitionId} has not reached its threshold`,
      body === 'VILLAGERS_ASSEMBLY' ? 'A2' : 'R3',
    );
  }
  return { kind, petitionId, thresholdReached };
}

export function conveneMeeting(
  data: ConveneMeeting['data'],
  state: MeetingState,
): MeetingConvened[] {
  const { meetingId, villageId, body, quorumBasis, scheduledAt, noticeAt, at } = data;
  requireText(meetingId, 'meetingId');
  requireText(villageId, 'villageId');
  requireOneOf(body, BODIES, 'body');
  requireOneOf(quorumBasis, QUORUM_BASES, 'quorumBasis');
  if (body === 'REPRESENTATIVES_ASSEMBLY' && quorumBasis === 'HOUSEHOLDS') {
    refuse('INVALID_INPUT', "the representatives' assembly's quorum is on its members (R4)");
  }
  requireInstant(scheduledAt, 'scheduledAt');
  requireInstant(noticeAt, 'noticeAt');
  requireInstant(at, 'at');
  const agenda = agendaOf(data.agenda);
  const convenedBy = convenedByOf(data.convenedBy, body);
  const votesMayChangeBeforeClose =
    data.votesMayChangeBeforeClose ?? DEFAULT_PRACTICE.votesMayChangeBeforeClose;
  if (typeof votesMayChangeBeforeClose !== 'boolean') {
    refuse('INVALID_INPUT', 'votesMayChangeBeforeClose must be true or false');
  }
  if (state.meeting !== undefined) {
    refuse('ALREADY_EXISTS', `meeting ${state.meeting.meetingId} is already convened`);
  }
  // Notice is a fact once given: a notice dated after the convening is recorded has not been given.
  if (Date.parse(noticeAt) > Date.parse(at)) {
    refuse('INVALID_INPUT', 'noticeAt is after the convening is recorded');
  }
  if (Date.parse(scheduledAt) <= Date.parse(at)) {
    refuse('INVALID_INPUT', 'scheduledAt must be after the convening is recorded');
  }
  // Art 21(2)'s ten days' notice is in the article on the villagers' assembly; Art 26, on the
  // representatives' assembly, sets no notice period, so none is judged for it.
  const judgements = body === 'VILLAGERS_ASSEMBLY' ? [judgeNotice(noticeAt, scheduledAt)] : [];
  if (judgements.some((judgement) => !judgement.met)) {
    refuse('NOTICE_TOO_SHORT', "villagers get ten days' notice of an assembly", 'A2');
  }
  return [
    {
      type: 'MeetingConvened',
      data: {
        meetingId,
        villageId,
        body,
        quorumBasis,
        scheduledAt,
        noticeAt,
        agenda,
        convenedBy,
        votesMayChangeBeforeClose,
        judgements,
        ruleBook: RULE_BOOK_VERSION,
        rules: [body === 'VILLAGERS_ASSEMBLY' ? 'A2' : 'R3'],
        at,
      },
    },
  ];
}

function rollOf(villagers: unknown, meetingDate: string): RollEntry[] {
  requireList(villagers, 'villagers');
  const roll = villagers.map((entry) => {
    const { villagerId, householdId, birthDate, gender } = (entry ?? {}) as RollEntry;
    requireText(villagerId, 'villagers villagerId');
    requireText(householdId, 'villagers householdId');
    requireDate(birthDate, 'villagers birthDate');
    requireOneOf(gender, GENDERS, 'villagers gender');
    if (birthDate > meetingDate)
      refuse('INVALID_INPUT', `${villagerId} is born after the roll date`);
    return { villagerId, householdId, birthDate, gender };
  });
  requireDistinct(
    roll.map((entry) => entry.villagerId),
    'villagers',
  );
  return roll;
}

/** A household is represented by someone of that household on that day's roll. */
function householdRepresentativesOf(
  representatives: unknown,
  roll: readonly RollEntry[],
): Record<string, string> {
  if (typeof representatives !== 'object' || representatives === null) {
    refuse('INVALID_INPUT', 'householdRepresentatives must map household ids to villager ids');
  }
  const entries = Object.entries(representatives);
  for (const [householdId, villagerId] of entries) {
    requireText(villagerId, 'householdRepresentatives villagerId');
    const entry = roll.find((candidate) => candidate.villagerId === villagerId);
    if (entry?.householdId !== householdId) {
      refuse('INVALID_INPUT', `${villagerId} is not on the roll of household ${householdId}`);
    }
  }
  return Object.fromEntries(entries);
}

function seatsOf(seats: unknown, roll: readonly RollEntry[]): AssemblySeat[] {
  requireList(seats, 'assemblyMembers');
  const members = seats.map((seat) => {
    const { villagerId, gender, representative } = (seat ?? {}) as AssemblySeat;
    requireText(villagerId, 'assemblyMembers villagerId');
    requireOneOf(gender, GENDERS, 'assemblyMembers gender');
    if (typeof representative !== 'boolean') {
      refuse('INVALID_INPUT', 'assemblyMembers representative must be true or false');
    }
    const entry = roll.find((candidate) => candidate.villagerId === villagerId);
    if (entry?.gender !== gender) {
      refuse('INVALID_INPUT', `seat ${villagerId} does not match that day's roll`);
    }
    return { villagerId, gender, representative };
  });
  requireDistinct(
    members.map((seat) => seat.villagerId),
    'assemblyMembers',
  );
  return members;
}

/**
 * Opening freezes the roll in the event. The meeting date is the day it opens; opening before the
 * scheduled time would cut short the notice villagers were given, so it is refused.
 */
export function openMeeting(data: OpenMeeting['data'], state: MeetingState): MeetingOpened[] {
  const { meetingId, rollDate, at } = data;
  requireText(meetingId, 'meetingId');
  requireDate(rollDate, 'rollDate');
  requireInstant(at, 'at');
  const meeting = requireMeeting(state, meetingId);
  if (state.phase !== 'CONVENED') refuse('STEP_OUT_OF_ORDER', `meeting ${meetingId} has opened`);
  if (Date.parse(at) < Date.parse(meeting.scheduledAt)) {
    refuse('STEP_OUT_OF_ORDER', `meeting ${meetingId} is scheduled for ${meeting.scheduledAt}`);
  }
  const meetingDate = dateOf(at);
  if (rollDate !== meetingDate) {
    refuse('INVALID_INPUT', `the roll must be of the meeting date ${meetingDate}`);
  }
  const roll = rollOf(data.villagers, meetingDate);
  const householdRepresentatives = householdRepresentativesOf(data.householdRepresentatives, roll);
  const opened = { meetingId, meetingDate, ruleBook: RULE_BOOK_VERSION, at };
  if (meeting.body === 'VILLAGERS_ASSEMBLY') {
    const members = roll.filter((entry) => isOfAge(entry.birthDate, meetingDate));
    const households = [...new Set(roll.map((entry) => entry.householdId))];
    return [
      {
        type: 'MeetingOpened',
        data: {
          ...opened,
          members: members.map((entry) => entry.villagerId),
          representatives: [],
          households,
          householdRepresentatives,
          judgements: [],
          rules: ['A1'],
        },
      },
    ];
  }
  const seats = seatsOf(data.assemblyMembers, roll);
  // Art 25(1) counts women *representatives* against all members, so a woman sitting only as a
  // committee member does not count toward the third.
  const representatives = seats.filter((seat) => seat.representative);
  const judgements = judgeRepresentativesAssembly({
    members: seats.length,
    representatives: representatives.length,
    women: representatives.filter((seat) => seat.gender === 'FEMALE').length,
  });
  if (judgements.some((judgement) => !judgement.met)) {
    refuse('ASSEMBLY_COMPOSITION_INVALID', "the representatives' assembly cannot sit", 'R1');
  }
  return [
    {
      type: 'MeetingOpened',
      data: {
        ...opened,
        members: seats.map((seat) => seat.villagerId),
        representatives: representatives.map((seat) => seat.villagerId),
        households: [],
        householdRepresentatives: {},
        judgements,
        rules: ['R1'],
      },
    },
  ];
}
