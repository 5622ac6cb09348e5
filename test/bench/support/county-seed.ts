/**
 * A county's villages as event histories, decided by the domain's own pure deciders and appended
 * straight to the sqlite store: what the server would have recorded had every command come over
 * GraphQL, at a tiny fraction of the time.
 *
 * A village's history (decideVillage): registered; its roll imported in one command (households,
 * then villagers, all adults); a representative designated per household; committee, supervision
 * committee and representatives elected. Then `held` villagers' assemblies, a month apart, each
 * with one proposal on the agenda (drafted, steps 2 and 3 recorded, tabled), opened on the roll
 * frozen that day (village.rollOn, as MeetingCommands.open builds it), nine in ten members
 * checking in (four in five online, the rest recorded in the hall by the clerk), every one present
 * voting (online, or on paper entered by the clerk and countersigned by a supervisor), voting
 * closed and the item decided, the proposal resolved (the follow-on, caused by ItemDecided),
 * the assembly adjourned, the resolution published. Then, if `sitting`, today's assembly: its
 * proposal drafted, deliberated and tabled, the meeting opened two hours ago, every member checked
 * in online, voting open on item-1 for the last hour.
 *
 * Each command is decided on the state its stream's events fold to (decide, then evolve), given
 * what the app's command handlers put in it (src/…/commands/*-commands.ts: the frozen roll, the
 * village's practice, the decision of the item), and its events are recorded with the metadata
 * Aggregates writes: actor (subject, role, village), correlationId, causationId, occurredAt (the
 * command's `at`) and channel. Follow-ons (tabling, resolution) share the command's correlation
 * and are caused by the event they follow.
 *
 * Deciding 2,000 check-ins folds a state that copies its sets at every event (quadratic), so by
 * default one village is decided as a template whose ids are placeholders, and each village is
 * the template with every id (villager, proposal, meeting, ballot, event, correlation) replaced by
 * a fresh random UUID and its village id and township by its own (VillageTemplate). With
 * `decideEach` every village is decided afresh instead (slower, the same shape).
 */
import { randomUUID } from 'node:crypto';
import {
  type Command,
  type Decider,
  type DomainEvent,
  dateOf,
  itemDecisionOf,
  type Matter,
  meeting,
  proposal,
  village,
} from '../../../libs/domain/src';
import type {
  EventMetadata,
  EventStore,
  NewEvent,
} from '../../../libs/event-store/src/event-store';
import { streams } from '../../../src/common/streams';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface VillageShape {
  /** Villagers on the roll: all adults, so all members of the villagers' assembly. */
  readonly members: number;
  readonly perHousehold: number;
  /** Assemblies held in full before today, a month apart. */
  readonly held: number;
  /** Today's assembly: open, every member checked in, voting open on item-1. */
  readonly sitting: boolean;
}

/** A run of one stream's events, in the order the village's history appends them. */
export interface Segment {
  readonly stream: string;
  readonly events: NewEvent[];
}

/** What the benchmark needs to know about a seeded village. */
export interface SeededVillage {
  readonly villageId: string;
  readonly township: string;
  readonly clerk: string;
  /** The meeting members, in roll order. */
  readonly members: readonly string[];
  readonly heldMeetingIds: readonly string[];
  /** The proposals those assemblies resolved (and published). */
  readonly heldProposalIds: readonly string[];
  /** Today's assembly and the proposal on its item-1 (when `sitting`). */
  readonly sittingMeetingId?: string;
  readonly sittingProposalId?: string;
  readonly segments: readonly Segment[];
  readonly events: number;
}

interface Ids {
  /** A new UUID-shaped id (an event, a villager, a meeting, a correlation…). */
  next(): string;
}

interface Context {
  readonly actor: { readonly subject: string; readonly role: string; readonly village: string };
  readonly correlationId: string;
  readonly causationId: string;
  readonly channel: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One village's streams as the command handlers would have left them. */
class History {
  readonly segments: Segment[] = [];
  private readonly states = new Map<string, unknown>();

  constructor(
    private readonly ids: Ids,
    readonly villageId: string,
  ) {}

  /** A command's context, as commandContext() makes one for a request. */
  context(subject: string, role: string, channel: string): Context {
    const id = this.ids.next();
    return {
      actor: { subject, role, village: this.villageId },
      correlationId: id,
      causationId: id,
      channel,
    };
  }

  /** A follow-on's context: the command's conversation, caused by the event it follows. */
  causedBy(context: Context, eventId: string): Context {
    return { ...context, causationId: eventId };
  }

  state<S>(stream: string, decider: { initialState(): S }): S {
    return (this.states.get(stream) as S | undefined) ?? decider.initialState();
  }

  /**
   * Aggregates.executeAll: the commands decided in turn on the evolving state, their events
   * appended together with the context's metadata, occurredAt the instant the handler read.
   */
  execute<C extends Command, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    context: Context,
    at: string,
    commands: readonly C[],
  ): { events: E[]; ids: string[] } {
    let state = this.state(stream, decider);
    const events: E[] = [];
    for (const command of commands) {
      for (const event of decider.decide(command, state)) {
        state = decider.evolve(state, event);
        events.push(event);
      }
    }
    this.states.set(stream, state);
    const ids = events.map(() => this.ids.next());
    const metadata: EventMetadata = {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      occurredAt: at,
      channel: context.channel,
    };
    const stored = events.map((event, index) => ({
      id: ids[index] as string,
      type: event.type,
      data: event.data,
      metadata,
    }));
    const last = this.segments.at(-1);
    if (last?.stream === stream) last.events.push(...stored);
    else this.segments.push({ stream, events: stored });
    return { events, ids };
  }
}

const MATTERS: readonly Matter[] = ['PUBLIC_WORKS', 'COLLECTIVE_INCOME_USE', 'OTHER'];
const MINUTES_SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/**
 * One village's history up to `now`, its ids drawn from `ids`. `name` and `township` are written
 * as given (the template passes placeholders).
 */
export function decideVillage(
  villageId: string,
  township: string,
  shape: VillageShape,
  now: number,
  ids: Ids,
): Omit<SeededVillage, 'events'> {
  const h = new History(ids, villageId);
  const villageStream = streams.village(villageId);
  const clerk = `clerk-${villageId}`;
  const byClerk = () => h.context(clerk, 'CLERK', 'web');
  const sittingAt = now - 2 * HOUR;
  const firstMeetingAt = sittingAt - shape.held * 30 * DAY;
  const registeredAt = firstMeetingAt - 40 * DAY;

  // The village, and its roll imported in one command: households first, then villagers.
  h.execute(villageStream, village.villageDecider, byClerk(), iso(registeredAt), [
    {
      type: 'RegisterVillage',
      data: {
        villageId,
        name: `${villageId}村`,
        township,
        county: '淳安县',
        province: '浙江省',
        at: iso(registeredAt),
      },
    },
  ]);
  const households = Math.ceil(shape.members / shape.perHousehold);
  const householdId = (n: number) => `H${n + 1}`;
  const villagerIds = Array.from({ length: shape.members }, () => ids.next());
  const importedAt = iso(registeredAt + HOUR);
  h.execute(villageStream, village.villageDecider, byClerk(), importedAt, [
    ...Array.from(
      { length: households },
      (_, n): village.VillageCommand => ({
        type: 'RegisterHousehold',
        data: { villageId, householdId: householdId(n), name: `户${n + 1}`, at: importedAt },
      }),
    ),
    ...villagerIds.map(
      (villagerId, n): village.VillageCommand => ({
        type: 'RegisterVillager',
        data: {
          villageId,
          villagerId,
          name: `村民${n + 1}`,
          gender: n % 2 === 0 ? 'FEMALE' : 'MALE',
          birthDate: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
          householdId: householdId(Math.floor(n / shape.perHousehold)),
          residenceBasis: 'HOUSEHOLD_REGISTRATION',
          at: importedAt,
        },
      }),
    ),
  ]);
  const head = (n: number) => villagerIds[n * shape.perHousehold] as string;
  for (let n = 0; n < households; n++) {
    const at = iso(registeredAt + 2 * HOUR + n * 1000);
    h.execute(villageStream, village.villageDecider, byClerk(), at, [
      {
        type: 'DesignateHouseholdRepresentative',
        data: {
          villageId,
          householdId: householdId(n),
          villagerId: head(n),
          at,
        },
      },
    ]);
  }
  // Office holders from different households (P4 bars a committee member's household from the
  // supervision committee): the representatives of households 0–4, 5–7, then 8 onwards.
  const heads = (from: number, count: number) =>
    Array.from({ length: count }, (_, k) => head(from + k));
  const committee = heads(0, 5);
  const supervision = heads(5, 3);
  const representatives = heads(8, Math.max(5, Math.ceil(households / 10)));
  const electedAt = registeredAt + 3 * HOUR;
  for (const [k, command] of (
    [
      { type: 'ElectCommittee', data: { villageId, memberIds: committee } },
      { type: 'ElectSupervisionCommittee', data: { villageId, memberIds: supervision } },
      { type: 'ElectRepresentatives', data: { villageId, representativeIds: representatives } },
    ] as const
  ).entries()) {
    const at = iso(electedAt + k * MINUTE);
    h.execute(villageStream, village.villageDecider, byClerk(), at, [
      { ...command, data: { ...command.data, at } } as village.VillageCommand,
    ]);
  }
  const villageState = () => h.state(villageStream, village.villageDecider);
  const practice = () => villageState().practice;

  /** Steps 1–3, then the meeting convened with it as item-1 and the proposal tabled. */
  const convene = (scheduledAt: number, k: number) => {
    const proposalId = ids.next();
    const proposalStream = streams.proposal(proposalId);
    const matter = MATTERS[k % MATTERS.length] as Matter;
    const title = `议题 ${k + 1}：村道硬化`;
    const draftedAt = iso(scheduledAt - 20 * DAY);
    h.execute(proposalStream, proposal.proposalDecider, byClerk(), draftedAt, [
      {
        type: 'DraftProposal',
        data: {
          proposalId,
          villageId,
          title,
          body: '用集体收入硬化通往小学的村道，预算十八万元。',
          matter,
          proposer: { kind: 'COMMITTEE' },
          draftedBy: clerk,
          at: draftedAt,
        },
      },
    ]);
    for (const [step, days, counts] of [
      ['JOINT_COMMITTEES', 19, { members: 9, attending: 9, agreeing: 7 }],
      ['PARTY_MEMBERS', 18, { members: 30, attending: 24, agreeing: 20 }],
    ] as const) {
      const at = iso(scheduledAt - days * DAY);
      h.execute(proposalStream, proposal.proposalDecider, byClerk(), at, [
        {
          type: 'RecordDeliberation',
          data: {
            proposalId,
            step,
            heldAt: iso(scheduledAt - days * DAY - 2 * HOUR),
            counts,
            minutesSha256: MINUTES_SHA256,
            practice: practice(),
            at,
          },
        },
      ]);
    }
    const meetingId = ids.next();
    const meetingStream = streams.meeting(meetingId);
    const convenedAt = iso(scheduledAt - 12 * DAY);
    const context = byClerk();
    const convened = h.execute(meetingStream, meeting.meetingDecider, context, convenedAt, [
      {
        type: 'ConveneMeeting',
        data: {
          meetingId,
          villageId,
          body: 'VILLAGERS_ASSEMBLY',
          quorumBasis: 'MEMBERS',
          scheduledAt: iso(scheduledAt),
          noticeAt: convenedAt,
          agenda: [{ itemId: 'item-1', proposalId, matter, title }],
          convenedBy: { kind: 'COMMITTEE' },
          votesMayChangeBeforeClose: practice().votesMayChangeBeforeClose,
          at: convenedAt,
        },
      },
    ]);
    const tabledAt = iso(scheduledAt - 12 * DAY + 50);
    h.execute(
      proposalStream,
      proposal.proposalDecider,
      h.causedBy(context, convened.ids[0] as string),
      tabledAt,
      [
        {
          type: 'TableProposal',
          data: {
            proposalId,
            meetingId,
            itemId: 'item-1',
            body: 'VILLAGERS_ASSEMBLY',
            practice: practice(),
            at: tabledAt,
          },
        },
      ],
    );
    return { meetingId, meetingStream, proposalId, proposalStream };
  };

  /** MeetingCommands.open: the roll of the day it opens, frozen in the command. */
  const open = (meetingId: string, meetingStream: string, at: string) => {
    const roll = village.rollOn(villageState(), dateOf(at));
    const opened = h.execute(meetingStream, meeting.meetingDecider, byClerk(), at, [
      {
        type: 'OpenMeeting',
        data: {
          meetingId,
          rollDate: dateOf(at),
          villagers: roll.villagers.map(({ villagerId, householdId: hh, birthDate, gender }) => ({
            villagerId,
            householdId: hh,
            birthDate,
            gender,
          })),
          householdRepresentatives: roll.householdRepresentatives,
          at,
        },
      },
    ]);
    return (opened.events[0] as meeting.MeetingOpened).data.members;
  };

  const checkIn = (
    meetingId: string,
    meetingStream: string,
    villagerId: string,
    channel: 'ONLINE' | 'IN_PERSON',
    at: string,
  ) =>
    h.execute(
      meetingStream,
      meeting.meetingDecider,
      channel === 'ONLINE' ? h.context(villagerId, 'VILLAGER', 'phone') : byClerk(),
      at,
      [{ type: 'CheckIn', data: { meetingId, villagerId, channel, at } }],
    );

  const heldMeetingIds: string[] = [];
  const heldProposalIds: string[] = [];
  let members: readonly string[] = [];
  for (let k = 0; k < shape.held; k++) {
    const scheduledAt = firstMeetingAt + k * 30 * DAY;
    const { meetingId, meetingStream, proposalStream, proposalId } = convene(scheduledAt, k);
    heldMeetingIds.push(meetingId);
    heldProposalIds.push(proposalId);
    members = open(meetingId, meetingStream, iso(scheduledAt));
    // Nine in ten come; four in five of them check in online, the rest in the hall.
    const present = members.filter((_, n) => n % 10 !== 3);
    const inHall = (n: number) => n % 5 === 4;
    present.forEach((villagerId, n) => {
      const at = iso(scheduledAt + Math.floor((n * 50 * MINUTE) / present.length));
      checkIn(meetingId, meetingStream, villagerId, inHall(n) ? 'IN_PERSON' : 'ONLINE', at);
    });
    const votingAt = iso(scheduledAt + 60 * MINUTE);
    h.execute(meetingStream, meeting.meetingDecider, byClerk(), votingAt, [
      { type: 'OpenVoting', data: { meetingId, itemId: 'item-1', at: votingAt } },
    ]);
    present.forEach((villagerId, n) => {
      const at = iso(scheduledAt + 61 * MINUTE + Math.floor((n * 50 * MINUTE) / present.length));
      const paper = inHall(n);
      h.execute(
        meetingStream,
        meeting.meetingDecider,
        paper ? byClerk() : h.context(villagerId, 'VILLAGER', 'phone'),
        at,
        [
          {
            type: 'CastBallot',
            data: {
              meetingId,
              itemId: 'item-1',
              ballotId: ids.next(),
              villagerId,
              choice: n % 10 < 7 ? 'FOR' : n % 10 < 9 ? 'AGAINST' : 'ABSTAIN',
              channel: paper ? 'PAPER' : 'ONLINE',
              ...(paper ? { enteredBy: clerk } : {}),
              at,
            },
          },
        ],
      );
    });
    const supervisor = supervision[0] as string;
    const signedAt = iso(scheduledAt + 115 * MINUTE);
    h.execute(
      meetingStream,
      meeting.meetingDecider,
      h.context(supervisor, 'SUPERVISOR', 'web'),
      signedAt,
      [
        {
          type: 'CountersignPaperBallots',
          data: { meetingId, itemId: 'item-1', supervisorId: supervisor, at: signedAt },
        },
      ],
    );
    const closedAt = iso(scheduledAt + 120 * MINUTE);
    const closing = byClerk();
    const closed = h.execute(meetingStream, meeting.meetingDecider, closing, closedAt, [
      { type: 'CloseVoting', data: { meetingId, itemId: 'item-1', at: closedAt } },
    ]);
    const index = closed.events.findIndex((event) => event.type === 'ItemDecided');
    const decided = closed.events[index] as meeting.ItemDecided;
    const resolvedAt = iso(scheduledAt + 120 * MINUTE + 50);
    h.execute(
      proposalStream,
      proposal.proposalDecider,
      h.causedBy(closing, closed.ids[index] as string),
      resolvedAt,
      [
        {
          type: 'RecordResolution',
          data: { proposalId, decision: itemDecisionOf(decided.data), at: resolvedAt },
        },
      ],
    );
    const adjournedAt = iso(scheduledAt + 150 * MINUTE);
    h.execute(meetingStream, meeting.meetingDecider, byClerk(), adjournedAt, [
      { type: 'AdjournMeeting', data: { meetingId, at: adjournedAt } },
    ]);
    const publishedAt = iso(scheduledAt + DAY);
    h.execute(proposalStream, proposal.proposalDecider, byClerk(), publishedAt, [
      {
        type: 'PublishResolution',
        data: {
          proposalId,
          publishedAt,
          notice: '村务公开栏及村微信群公示',
          practice: practice(),
          at: publishedAt,
        },
      },
    ]);
  }

  let sitting: { meetingId: string; proposalId: string } | undefined;
  if (shape.sitting) {
    const { meetingId, meetingStream, proposalId } = convene(sittingAt, shape.held);
    members = open(meetingId, meetingStream, iso(sittingAt));
    members.forEach((villagerId, n) => {
      const at = iso(sittingAt + Math.floor((n * 50 * MINUTE) / members.length));
      checkIn(meetingId, meetingStream, villagerId, 'ONLINE', at);
    });
    const votingAt = iso(sittingAt + 60 * MINUTE);
    h.execute(meetingStream, meeting.meetingDecider, byClerk(), votingAt, [
      { type: 'OpenVoting', data: { meetingId, itemId: 'item-1', at: votingAt } },
    ]);
    sitting = { meetingId, proposalId };
  }
  return {
    villageId,
    township,
    clerk,
    members,
    heldMeetingIds,
    heldProposalIds,
    sittingMeetingId: sitting?.meetingId,
    sittingProposalId: sitting?.proposalId,
    segments: h.segments,
  };
}

const countEvents = (segments: readonly Segment[]) =>
  segments.reduce((n, segment) => n + segment.events.length, 0);

/** Township names: about fifteen villages to a township. */
const townshipOf = (index: number) => `第${Math.floor(index / 15) + 1}镇`;
export const villageIdOf = (index: number) => `v${index.toString().padStart(5, '0')}`;

/** Placeholders: UUID-shaped ids numbered from 0, and the village's own id and township. */
const ID_PREFIX = '7e3a1e00';
const VILLAGE_TOKEN = 'vTMPLTMPL';
const TOWNSHIP_TOKEN = 'TOWNSHIPTOKEN';
const PLACEHOLDER = new RegExp(
  `(${ID_PREFIX}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}|${VILLAGE_TOKEN}|${TOWNSHIP_TOKEN})`,
);

function templateIds(): Ids {
  let n = 0;
  return {
    next() {
      const hex = (n++).toString(16).padStart(22, '0');
      return `${ID_PREFIX}-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-${hex.slice(10)}`;
    },
  };
}

/** The number a placeholder id was given by templateIds. */
const numberOf = (id: string) =>
  Number.parseInt(id.slice(9, 13) + id.slice(15, 18) + id.slice(20, 23) + id.slice(24), 16);

const randomIds: Ids = { next: () => randomUUID() };

/**
 * Villages of one shape: village `index` is the template decided once, every placeholder id
 * replaced by a fresh random UUID (the same one throughout the village), or (decideEach) decided
 * afresh with random ids. The template's JSON is split at its placeholders once, so making a
 * village is one join.
 */
export class VillageTemplate {
  /** Text, then placeholder, then text…: odd entries are placeholders. */
  private readonly parts: string[];
  /** For each odd entry of `parts`: the id's number, or -1 the village id, -2 the township. */
  private readonly slots: number[];
  private readonly idCount: number;
  readonly eventsPerVillage: number;
  /** Deciding the template, in ms. */
  readonly decideMs: number;

  constructor(
    readonly shape: VillageShape,
    readonly now: number,
    private readonly decideEach = false,
  ) {
    const started = performance.now();
    const template = decideVillage(VILLAGE_TOKEN, TOWNSHIP_TOKEN, shape, now, templateIds());
    this.decideMs = performance.now() - started;
    this.eventsPerVillage = countEvents(template.segments);
    this.parts = JSON.stringify(template).split(PLACEHOLDER);
    this.slots = [];
    let idCount = 0;
    for (let i = 1; i < this.parts.length; i += 2) {
      const part = this.parts[i] as string;
      const slot = part === VILLAGE_TOKEN ? -1 : part === TOWNSHIP_TOKEN ? -2 : numberOf(part);
      this.slots.push(slot);
      if (slot >= idCount) idCount = slot + 1;
    }
    this.idCount = idCount;
  }

  village(index: number): SeededVillage {
    const villageId = villageIdOf(index);
    const township = townshipOf(index);
    if (this.decideEach) {
      const decided = decideVillage(villageId, township, this.shape, this.now, randomIds);
      return { ...decided, events: countEvents(decided.segments) };
    }
    const uuids: string[] = new Array(this.idCount);
    const pieces = this.parts.slice();
    for (let i = 1, s = 0; i < pieces.length; i += 2, s++) {
      const slot = this.slots[s] as number;
      if (slot === -1) pieces[i] = villageId;
      else if (slot === -2) pieces[i] = township;
      else {
        uuids[slot] ??= randomUUID();
        pieces[i] = uuids[slot];
      }
    }
    const seeded = JSON.parse(pieces.join('')) as Omit<SeededVillage, 'events'>;
    return { ...seeded, events: this.eventsPerVillage };
  }
}

/**
 * Appends the villages' segments in order, each with its exact expected revision ('no_stream'
 * first), every append of the call posted in the same tick so the writer group-commits them.
 * Returns the position of the last event appended.
 */
export async function appendVillages(
  store: EventStore,
  villages: readonly SeededVillage[],
): Promise<bigint> {
  const revisions = new Map<string, bigint>();
  const appends: Promise<{ position: bigint }>[] = [];
  for (const seeded of villages) {
    for (const { stream, events } of seeded.segments) {
      // Big appends are cut in pieces, so no one message to the writer is huge.
      for (let start = 0; start < events.length; start += 2000) {
        const chunk = events.slice(start, start + 2000);
        const current = revisions.get(stream);
        appends.push(
          store.append(stream, chunk, {
            expectedRevision: current === undefined ? 'no_stream' : current,
          }),
        );
        revisions.set(stream, (current ?? -1n) + BigInt(chunk.length));
      }
    }
  }
  let last = 0n;
  for (const { position } of await Promise.all(appends)) if (position > last) last = position;
  return last;
}
