/**
 * A realistic event log for the benchmarks, made by the domain's own deciders.
 *
 * One village's life is decided once, in memory, with the pure deciders of libs/domain: the village
 * registered, its households and villagers, household representatives and offices; two proposals
 * drafted and deliberated; a villagers' assembly convened with them on the agenda, opened on the
 * frozen roll, the members checking in (online and in person), voting on the first item (online
 * ballots and paper ones countersigned by the supervision committee), closed and decided,
 * adjourned; the proposal resolved and its resolution published.
 *
 * Each further village is that template with its ids replaced: every villager, proposal, meeting
 * and ballot id by a fresh random UUID (as the command handlers make them, so indexes on them fill
 * in random order, as they do in production), the village's own id by one naming the village. So
 * every village is a history the deciders would have recorded, with ids of its own, at the cost of
 * a string replace rather than of deciding again (the meeting's state copies its sets at each
 * event, so deciding 2,000 check-ins is quadratic). Events get fresh event ids and Aggregates'
 * metadata shape when they are instantiated.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_PRACTICE,
  type DomainEvent,
  type ItemDecision,
  meeting,
  proposal,
  village,
} from '../../../libs/domain/src';
import type {
  EventMetadata,
  EventStore,
  NewEvent,
} from '../../../libs/event-store/src/event-store';

/** Stands for the village in the template's ids. */
const TOKEN = 'TMPLTMPL';
/** A template entity id (see uid): each becomes a random UUID, the same one throughout a village. */
const TEMPLATE_ID = /TMPLTMPL-[0-9a-f]{4}-4000-8000-[0-9a-f]{12}/g;

/** A run of one stream's events, in the order the village's life appends them. */
export interface Segment<E = DomainEvent> {
  readonly stream: string;
  readonly events: readonly E[];
}

export interface VillageShape {
  /** Villagers on the village's roll; about 1 in 10 are minors, who are not members. */
  readonly villagers: number;
  /** Villagers per household. */
  readonly perHousehold: number;
}

export const DEFAULT_SHAPE: VillageShape = { villagers: 2000, perHousehold: 4 };

/** Entity ids of the template: the token, a kind and a number, UUID-shaped. */
const uid = (token: string, kind: string, n: number) =>
  `${token}-${kind}-4000-8000-${n.toString(16).padStart(12, '0')}`;
const villagerIdOf = (token: string, n: number) => uid(token, 'a001', n);
export const villageIdOf = (token: string) => `cun-${token}`;

/** The instant `minutes` after 09:00 on `date`, in China time. */
const at = (date: string, minutes = 0) =>
  `${date}T${String(9 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+08:00`;

function decideAll<C, E, S>(
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S },
  state: S,
  commands: readonly C[],
): { events: E[]; state: S } {
  const events: E[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, state)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return { events, state };
}

/** One village's life, decided by the deciders, ids carrying `token`. */
export function decideVillage(token: string, shape: VillageShape = DEFAULT_SHAPE): Segment[] {
  const villageId = villageIdOf(token);
  const households = Math.ceil(shape.villagers / shape.perHousehold);
  const householdId = (n: number) => `H${n + 1}`;
  const villagerIds = Array.from({ length: shape.villagers }, (_, n) => villagerIdOf(token, n));
  const clerk = `clerk-${villageId}`;

  // The village: registered, households, villagers (every tenth a child), representatives.
  const villageCommands: village.VillageCommand[] = [
    {
      type: 'RegisterVillage',
      data: {
        villageId,
        name: `村 ${token}`,
        township: `镇 ${token.slice(0, 4)}`,
        county: '淳安县',
        province: '浙江省',
        at: at('2026-01-05'),
      },
    },
  ];
  for (let h = 0; h < households; h++) {
    villageCommands.push({
      type: 'RegisterHousehold',
      data: {
        villageId,
        householdId: householdId(h),
        name: `${householdId(h)}户`,
        at: at('2026-01-06', h % 480),
      },
    });
  }
  villagerIds.forEach((villagerId, n) => {
    const minor = n % 10 === 9;
    villageCommands.push({
      type: 'RegisterVillager',
      data: {
        villageId,
        villagerId,
        name: `村民${n + 1}`,
        gender: n % 2 === 0 ? 'FEMALE' : 'MALE',
        birthDate: minor
          ? `20${10 + (n % 12)}-0${1 + (n % 9)}-15`
          : `19${45 + (n % 55)}-0${1 + (n % 9)}-1${n % 10}`,
        householdId: householdId(n % households),
        residenceBasis: 'HOUSEHOLD_REGISTRATION',
        at: at('2026-01-10', n % 480),
      },
    });
  });
  for (let h = 0; h < households; h++) {
    villageCommands.push({
      type: 'DesignateHouseholdRepresentative',
      data: {
        villageId,
        householdId: householdId(h),
        villagerId: villagerIds[h] as string,
        at: at('2026-01-12', h % 480),
      },
    });
  }
  // Adults only: villager n is a minor when n % 10 === 9.
  const adults = villagerIds.filter((_, n) => n % 10 !== 9);
  const committee = adults.slice(0, 5);
  const supervision = adults.slice(5, 8);
  const representatives = adults.slice(8, 8 + Math.max(5, Math.ceil(households / 10)));
  villageCommands.push(
    { type: 'ElectCommittee', data: { villageId, memberIds: committee, at: at('2026-01-15') } },
    {
      type: 'ElectSupervisionCommittee',
      data: { villageId, memberIds: supervision, at: at('2026-01-15', 30) },
    },
    {
      type: 'ElectRepresentatives',
      data: { villageId, representativeIds: representatives, at: at('2026-01-15', 60) },
    },
  );
  const decidedVillage = decideAll(
    village.villageDecider,
    village.villageDecider.initialState(),
    villageCommands,
  );

  // Two proposals: drafted by the clerk, steps 2 and 3 on record.
  const proposalIds = [uid(token, 'b002', 1), uid(token, 'b002', 2)];
  const matters = ['COLLECTIVE_INCOME_USE', 'PUBLIC_WORKS'] as const;
  const proposalStates = proposalIds.map(() => proposal.proposalDecider.initialState());
  const reviewed = proposalIds.map((proposalId, p) => {
    const decided = decideAll(
      proposal.proposalDecider,
      proposalStates[p] as proposal.ProposalState,
      [
        {
          type: 'DraftProposal',
          data: {
            proposalId,
            villageId,
            title: p === 0 ? '用鱼塘集体收入修通往小学的路' : '修建村文化礼堂',
            body: 'Spend 180,000 yuan of the collective income from the fish ponds on the school lane.',
            matter: matters[p] as (typeof matters)[number],
            proposer: { kind: 'COMMITTEE' },
            draftedBy: clerk,
            at: at('2026-02-01', p),
          },
        },
        {
          type: 'RecordDeliberation',
          data: {
            proposalId,
            step: 'JOINT_COMMITTEES',
            heldAt: '2026-02-05T19:00:00+08:00',
            counts: { members: 9, attending: 9, agreeing: 7 },
            minutesSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
            at: at('2026-02-06', p),
          },
        },
        {
          type: 'RecordDeliberation',
          data: {
            proposalId,
            step: 'PARTY_MEMBERS',
            heldAt: '2026-02-10T19:00:00+08:00',
            counts: { members: 30, attending: 24, agreeing: 20 },
            minutesSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
            at: at('2026-02-11', p),
          },
        },
      ] as proposal.ProposalCommand[],
    );
    proposalStates[p] = decided.state;
    return decided.events;
  });

  // The assembly: convened with both proposals, opened on the roll of its day.
  const meetingId = uid(token, 'c003', 1);
  const meetingDate = '2026-03-05';
  const agenda = proposalIds.map((proposalId, p) => ({
    itemId: `item-${p + 1}`,
    proposalId,
    matter: matters[p] as (typeof matters)[number],
    title: `议题 ${p + 1}`,
  }));
  const roll = village.rollOn(decidedVillage.state, meetingDate);
  const convened = decideAll(meeting.meetingDecider, meeting.meetingDecider.initialState(), [
    {
      type: 'ConveneMeeting',
      data: {
        meetingId,
        villageId,
        body: 'VILLAGERS_ASSEMBLY',
        quorumBasis: 'MEMBERS',
        scheduledAt: at(meetingDate),
        noticeAt: at('2026-02-20'),
        agenda,
        convenedBy: { kind: 'COMMITTEE' },
        votesMayChangeBeforeClose: DEFAULT_PRACTICE.votesMayChangeBeforeClose,
        at: at('2026-02-20'),
      },
    },
  ]);
  const tabled = proposalIds.map((proposalId, p) => {
    const decided = decideAll(
      proposal.proposalDecider,
      proposalStates[p] as proposal.ProposalState,
      [
        {
          type: 'TableProposal',
          data: {
            proposalId,
            meetingId,
            itemId: `item-${p + 1}`,
            body: 'VILLAGERS_ASSEMBLY',
            practice: DEFAULT_PRACTICE,
            at: at('2026-02-20', 1),
          },
        },
      ],
    );
    proposalStates[p] = decided.state;
    return decided.events;
  });
  const opened = meeting.meetingDecider.decide(
    {
      type: 'OpenMeeting',
      data: {
        meetingId,
        rollDate: meetingDate,
        villagers: roll.villagers.map(({ villagerId, householdId: h, birthDate, gender }) => ({
          villagerId,
          householdId: h,
          birthDate,
          gender,
        })),
        householdRepresentatives: roll.householdRepresentatives,
        at: at(meetingDate),
      },
    },
    convened.state,
  );
  const openedEvent = opened[0] as meeting.MeetingOpened;
  // Nine in ten members come: four in five of them online, the rest in the hall.
  const present = openedEvent.data.members.filter((_, n) => n % 10 !== 3);
  const channelOf = (n: number) => (n % 5 === 4 ? 'IN_PERSON' : 'ONLINE');
  const sitting: meeting.MeetingCommand[] = [
    ...present.map(
      (villagerId, n): meeting.MeetingCommand => ({
        type: 'CheckIn',
        data: {
          meetingId,
          villagerId,
          channel: channelOf(n),
          at: at(meetingDate, Math.floor((n * 50) / present.length)),
        },
      }),
    ),
    { type: 'OpenVoting', data: { meetingId, itemId: 'item-1', at: at(meetingDate, 60) } },
    ...present.map(
      (villagerId, n): meeting.MeetingCommand => ({
        type: 'CastBallot',
        data: {
          meetingId,
          itemId: 'item-1',
          ballotId: uid(token, 'd004', n),
          villagerId,
          choice: n % 10 < 7 ? 'FOR' : n % 10 < 9 ? 'AGAINST' : 'ABSTAIN',
          channel: channelOf(n) === 'IN_PERSON' ? 'PAPER' : 'ONLINE',
          ...(channelOf(n) === 'IN_PERSON' ? { enteredBy: clerk } : {}),
          at: at(meetingDate, 61 + Math.floor((n * 50) / present.length)),
        },
      }),
    ),
    {
      type: 'CountersignPaperBallots',
      data: {
        meetingId,
        itemId: 'item-1',
        supervisorId: supervision[0] as string,
        at: at(meetingDate, 115),
      },
    },
    { type: 'CloseVoting', data: { meetingId, itemId: 'item-1', at: at(meetingDate, 120) } },
    { type: 'AdjournMeeting', data: { meetingId, at: at(meetingDate, 150) } },
  ];
  const held = decideAll(
    meeting.meetingDecider,
    opened.reduce(meeting.meetingDecider.evolve, convened.state),
    sitting,
  );
  const decision = held.events.find((e) => e.type === 'ItemDecided') as meeting.ItemDecided;
  const { countedBallotIds: _, ...itemDecision } = decision.data;
  const resolved = decideAll(
    proposal.proposalDecider,
    proposalStates[0] as proposal.ProposalState,
    [
      {
        type: 'RecordResolution',
        data: {
          proposalId: proposalIds[0] as string,
          decision: itemDecision as ItemDecision,
          at: at(meetingDate, 151),
        },
      },
      {
        type: 'PublishResolution',
        data: {
          proposalId: proposalIds[0] as string,
          publishedAt: at('2026-03-06'),
          notice: 'Posted on the village affairs board and in the village WeChat group',
          at: at('2026-03-06'),
        },
      },
    ],
  );

  const proposalStream = (p: number) => `proposal-${proposalIds[p]}`;
  const meetingStream = `meeting-${meetingId}`;
  return [
    { stream: `village-${villageId}`, events: decidedVillage.events },
    { stream: proposalStream(0), events: reviewed[0] as DomainEvent[] },
    { stream: proposalStream(1), events: reviewed[1] as DomainEvent[] },
    { stream: meetingStream, events: convened.events },
    { stream: proposalStream(0), events: tabled[0] as DomainEvent[] },
    { stream: proposalStream(1), events: tabled[1] as DomainEvent[] },
    { stream: meetingStream, events: [...opened, ...held.events] },
    { stream: proposalStream(0), events: resolved.events },
  ];
}

/** What Aggregates records beside each event: the actor, correlation, causation, instant, channel. */
function metadataOf(event: DomainEvent, villageId: string): EventMetadata {
  const data = event.data as {
    at?: string;
    decidedAt?: string;
    channel?: string;
    villagerId?: string;
  };
  const voter = data.channel === 'ONLINE' ? data.villagerId : undefined;
  const byVillager = voter !== undefined;
  return {
    actor: byVillager
      ? { subject: voter, role: 'VILLAGER', village: villageId }
      : { subject: `clerk-${villageId}`, role: 'CLERK', village: villageId },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: data.at ?? data.decidedAt ?? '2026-03-05T09:00:00+08:00',
    channel: byVillager ? 'phone' : 'web',
  };
}

/** Domain events as the store takes them: fresh ids, and metadata as Aggregates writes it. */
export function newEventsOf(events: readonly DomainEvent[], villageId: string): NewEvent[] {
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: metadataOf(event, villageId),
  }));
}

/**
 * The template, decided once: instantiate(i) is village i, the template with its entity ids
 * replaced by random UUIDs and its village id by `cun-` and i in 8 hex digits, so villages 0, 1,
 * 2… never share an id or a stream.
 */
export class VillageLog {
  private readonly json: string;
  readonly eventsPerVillage: number;

  constructor(readonly shape: VillageShape = DEFAULT_SHAPE) {
    const segments = decideVillage(TOKEN, shape);
    this.json = JSON.stringify(segments);
    this.eventsPerVillage = segments.reduce((n, s) => n + s.events.length, 0);
  }

  static tokenOf(index: number): string {
    return index.toString(16).padStart(8, '0');
  }

  /** Village `index`'s segments, as NewEvents with fresh event ids. */
  instantiate(index: number): Segment<NewEvent>[] {
    const token = VillageLog.tokenOf(index);
    const villageId = villageIdOf(token);
    const uuids = new Map<string, string>();
    const json = this.json
      .replace(TEMPLATE_ID, (id) => {
        let uuid = uuids.get(id);
        if (uuid === undefined) {
          uuid = randomUUID();
          uuids.set(id, uuid);
        }
        return uuid;
      })
      .replaceAll(TOKEN, token);
    const segments = JSON.parse(json) as Segment[];
    return segments.map(({ stream, events }) => ({
      stream,
      events: newEventsOf(events, villageId),
    }));
  }
}

/** Events per append: big enough to load fast, small enough to keep each message modest. */
const CHUNK = 1000;

/**
 * Appends `segments` in order, in chunks, every append of the call posted in the same tick so the
 * writer group-commits them; expected revisions are exact, from `revisions` (kept across calls).
 * At most `limit` events are appended; returns how many were.
 */
export async function appendSegments(
  store: EventStore,
  segments: readonly Segment<NewEvent>[],
  revisions: Map<string, bigint>,
  limit = Number.POSITIVE_INFINITY,
): Promise<number> {
  const appends: Promise<unknown>[] = [];
  let appended = 0;
  for (const { stream, events } of segments) {
    for (let start = 0; start < events.length && appended < limit; start += CHUNK) {
      const chunk = events.slice(start, Math.min(start + CHUNK, start + limit - appended));
      const current = revisions.get(stream);
      appends.push(
        store.append(stream, chunk, {
          expectedRevision: current === undefined ? 'no_stream' : current,
        }),
      );
      revisions.set(stream, (current ?? -1n) + BigInt(chunk.length));
      appended += chunk.length;
    }
  }
  await Promise.all(appends);
  return appended;
}

/**
 * Fills the store with villages from `log`, starting at village `first`, until `count` events have
 * been appended (the last village may be cut short, as a log read at any moment would be). Villages
 * are appended `perCommit` at a time. Returns the next village index.
 */
export async function appendVillages(
  store: EventStore,
  log: VillageLog,
  first: number,
  count: number,
  revisions: Map<string, bigint>,
  perCommit = 8,
): Promise<number> {
  let left = count;
  let index = first;
  while (left > 0) {
    const segments: Segment<NewEvent>[] = [];
    let events = 0;
    for (let i = 0; i < perCommit && events < left; i++) {
      const village = log.instantiate(index++);
      segments.push(...village);
      events += village.reduce((n, s) => n + s.events.length, 0);
    }
    left -= await appendSegments(store, segments, revisions, left);
  }
  return index;
}
