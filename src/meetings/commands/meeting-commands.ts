import { randomUUID } from 'node:crypto';
import { type Choice, dateOf, meeting, petition, proposal, refuse, village } from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import { Scope } from '../../auth/scope';
import { Aggregates, type Appended, idOfEvent } from '../../common/aggregates';
import { CLOCK, type Clock } from '../../common/clock';
import { type CommandContext, causedBy } from '../../common/command-context';
import { forbidden } from '../../common/errors';
import { streams } from '../../common/streams';
import { MeetingFollowOns } from '../../proposals/follow-ons/meeting-follow-ons';

export interface ConveneMeetingInput {
  readonly villageId: string;
  readonly body: 'VILLAGERS_ASSEMBLY' | 'REPRESENTATIVES_ASSEMBLY';
  readonly quorumBasis: 'MEMBERS' | 'HOUSEHOLDS';
  readonly scheduledAt: string;
  readonly noticeAt: string;
  readonly proposalIds: readonly string[];
  readonly petitionId?: string;
}

/** What a command handler hands back: the ids it created and where its last event landed. */
export interface Outcome {
  readonly id: string;
  readonly position: bigint;
}

// biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigint.
const last = (...positions: bigint[]) => positions.reduce((a, b) => (a > b ? a : b), 0n);

/**
 * The meeting's commands. Each loads the meeting, checks the caller acts for its village, and
 * lets the decider judge; what the decider needs from other aggregates (the roll on the day, the
 * proposals' path so far, a petition's threshold) is read here and passed in the command.
 */
@Injectable()
export class MeetingCommands {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly scope: Scope,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly followOns: MeetingFollowOns,
  ) {}

  private async run(
    meetingId: string,
    context: CommandContext,
    commandOf: (
      state: meeting.MeetingState,
      at: string,
    ) => meeting.MeetingCommand | Promise<meeting.MeetingCommand>,
  ): Promise<Appended<meeting.MeetingEvent> & Outcome> {
    const appended = await this.aggregates.execute(
      streams.meeting(meetingId),
      meeting.meetingDecider,
      context,
      async (state, at) => {
        await this.scope.require(context.actor, state.meeting?.villageId);
        return commandOf(state, at);
      },
    );
    return { ...appended, id: meetingId };
  }

  private loadVillage(villageId: string) {
    return this.aggregates.load(streams.village(villageId), village.villageDecider);
  }

  /**
   * The agenda is the proposals, each checked against F1 (its steps 2 and 3 on record) before the
   * meeting is convened; once the convening is stored, each proposal records that it is tabled
   * (here, and by the MeetingOutcomes reactor should this fail half-way).
   */
  async convene(input: ConveneMeetingInput, context: CommandContext): Promise<Outcome> {
    await this.scope.require(context.actor, input.villageId);
    const meetingId = randomUUID();
    const convening = this.clock.now().toISOString();
    const { state: villageState } = await this.loadVillage(input.villageId);
    const agenda = await Promise.all(
      input.proposalIds.map(async (proposalId, index) => {
        const { state } = await this.aggregates.load(
          streams.proposal(proposalId),
          proposal.proposalDecider,
        );
        if (state.proposal?.villageId !== input.villageId) throw forbidden();
        const itemId = `item-${index + 1}`;
        // A dry run: the tabling is judged now so that nothing is convened around a proposal
        // that may not be voted on.
        proposal.proposalDecider.decide(
          this.tabling(proposalId, meetingId, itemId, input, villageState.practice, convening),
          state,
        );
        return { itemId, proposalId, matter: state.proposal.matter, title: state.proposal.title };
      }),
    );
    const convenedBy = await this.convenedBy(input);
    const convened = await this.aggregates.execute(
      streams.meeting(meetingId),
      meeting.meetingDecider,
      context,
      (_, at): meeting.MeetingCommand => ({
        type: 'ConveneMeeting',
        data: {
          meetingId,
          villageId: input.villageId,
          body: input.body,
          quorumBasis: input.quorumBasis,
          scheduledAt: input.scheduledAt,
          noticeAt: input.noticeAt,
          agenda,
          convenedBy,
          votesMayChangeBeforeClose: villageState.practice.votesMayChangeBeforeClose,
          at,
        },
      }),
    );
    const convenedEvent = convened.events[0] as meeting.MeetingConvened;
    const tabled = await this.followOns.table(
      convenedEvent.data,
      causedBy(context, convened.ids[0] as string),
    );
    return { id: meetingId, position: last(convened.position, tabled) };
  }

  private tabling(
    proposalId: string,
    meetingId: string,
    itemId: string,
    input: ConveneMeetingInput,
    practice: village.VillageState['practice'],
    at: string,
  ): proposal.TableProposal {
    return {
      type: 'TableProposal',
      data: { proposalId, meetingId, itemId, body: input.body, practice, at },
    };
  }

  private async convenedBy(input: ConveneMeetingInput): Promise<meeting.ConvenedBy> {
    if (input.petitionId === undefined) return { kind: 'COMMITTEE' };
    const { state } = await this.aggregates.load(
      streams.petition(input.petitionId),
      petition.petitionDecider,
    );
    if (state.petition?.villageId !== input.villageId) throw forbidden();
    return {
      kind: 'PETITION',
      petitionId: input.petitionId,
      thresholdReached: state.thresholdReachedAt !== undefined,
    };
  }

  /** Freezes the roll of the day it opens: the villagers on it, or the assembly's seats. */
  open(meetingId: string, context: CommandContext): Promise<Outcome> {
    return this.run(meetingId, context, async (state, at) => {
      const { state: villageState } = await this.loadVillage(this.villageOf(state));
      const rollDate = dateOf(at);
      const roll = village.rollOn(villageState, rollDate);
      const assemblyMembers =
        state.meeting?.body === 'REPRESENTATIVES_ASSEMBLY'
          ? village.representativesAssembly(villageState).members
          : undefined;
      return {
        type: 'OpenMeeting',
        data: {
          meetingId,
          rollDate,
          villagers: roll.villagers.map(({ villagerId, householdId, birthDate, gender }) => ({
            villagerId,
            householdId,
            birthDate,
            gender,
          })),
          householdRepresentatives: roll.householdRepresentatives,
          ...(assemblyMembers === undefined ? {} : { assemblyMembers }),
          at,
        },
      };
    });
  }

  /** ONLINE: the villager for themselves. IN_PERSON: the clerk, for the villager at the door. */
  checkIn(
    meetingId: string,
    villagerId: string,
    channel: 'ONLINE' | 'IN_PERSON',
    context: CommandContext,
  ) {
    return this.run(meetingId, context, (_, at) => ({
      type: 'CheckIn',
      data: { meetingId, villagerId, channel, at },
    })).then((appended) => ({ ...appended, eventId: idOfEvent(appended, 'MemberCheckedIn') }));
  }

  leave(meetingId: string, villagerId: string, context: CommandContext) {
    return this.run(meetingId, context, (_, at) => ({
      type: 'Leave',
      data: { meetingId, villagerId, at },
    }));
  }

  openVoting(meetingId: string, itemId: string, context: CommandContext) {
    return this.run(meetingId, context, (_, at) => ({
      type: 'OpenVoting',
      data: { meetingId, itemId, at },
    }));
  }

  /** ONLINE: cast by the villager. PAPER: entered by the clerk, for the supervisors to countersign. */
  castBallot(
    ballot: { meetingId: string; itemId: string; villagerId: string; choice: Choice },
    channel: 'ONLINE' | 'PAPER',
    context: CommandContext,
  ): Promise<Outcome & { readonly eventId: string }> {
    const ballotId = randomUUID();
    return this.run(ballot.meetingId, context, (_, at) => ({
      type: 'CastBallot',
      data: {
        ...ballot,
        ballotId,
        channel,
        ...(channel === 'PAPER' ? { enteredBy: context.actor.subject } : {}),
        at,
      },
    })).then((appended) => ({
      id: ballotId,
      position: appended.position,
      eventId: idOfEvent(appended, 'BallotCast'),
    }));
  }

  /** The supervisor countersigns as themselves, and must sit on the village's supervision committee. */
  countersign(meetingId: string, itemId: string, context: CommandContext) {
    return this.run(meetingId, context, async (state, at) => {
      const { state: villageState } = await this.loadVillage(this.villageOf(state));
      if (!villageState.supervisionIds.includes(context.actor.subject)) throw forbidden();
      return {
        type: 'CountersignPaperBallots',
        data: { meetingId, itemId, supervisorId: context.actor.subject, at },
      };
    });
  }

  /**
   * Closing decides the item; the proposal it was tabled for then records the decision (step 4),
   * caused by the meeting's ItemDecided event — the clerk never hands a decision over by hand. It
   * is done here, so the answer shows it; should it fail after the decision is stored, the
   * MeetingOutcomes reactor does it.
   */
  async closeVoting(meetingId: string, itemId: string, context: CommandContext): Promise<Outcome> {
    const closed = await this.run(meetingId, context, (_, at) => ({
      type: 'CloseVoting',
      data: { meetingId, itemId, at },
    }));
    const index = closed.events.findIndex((event) => event.type === 'ItemDecided');
    const decided = closed.events[index];
    if (decided?.type !== 'ItemDecided') return closed;
    const resolved = await this.followOns.resolve(
      decided.data,
      causedBy(context, closed.ids[index] as string),
    );
    return { id: meetingId, position: last(closed.position, resolved) };
  }

  adjourn(meetingId: string, context: CommandContext) {
    return this.run(meetingId, context, (_, at) => ({
      type: 'AdjournMeeting',
      data: { meetingId, at },
    }));
  }

  private villageOf(state: meeting.MeetingState): string {
    return state.meeting?.villageId ?? refuse('NOT_FOUND', 'no such meeting');
  }
}
