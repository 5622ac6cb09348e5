import {
  Args,
  Context,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { forbidden } from '../common/errors';
import { PageArgs } from '../graphql/connection';
import { commandContextOf, type GraphQLContext } from '../graphql/context';
import { ReadYourWrites } from '../read-model/read-model.module';
import { Receipts } from '../transparency/receipts';
import { VillageArgs } from '../villages/village.args';
import { MeetingCommands } from './commands/meeting-commands';
import { AttendeeArgs, BallotArgs, ItemArgs, MeetingArgs, PaperBallotArgs } from './meeting.args';
import { MeetingFeed } from './meeting.feed';
import {
  AgendaItem,
  Ballot,
  BallotPayload,
  CheckInPayload,
  ConveneMeetingInput,
  Meeting,
  MeetingConnection,
  MeetingPayload,
} from './meeting.types';
import { MeetingQueries } from './read-model/meeting.queries';

/** Officers see who voted how; villagers see their own ballots (myBallots), integrators none. */
const SEES_BALLOTS = new Set(['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR']);

/** A written act the villager gets a receipt for: the event it was logged as. */
interface Receipted {
  readonly id: string;
  readonly position: bigint;
  readonly eventId: string;
}

@Resolver(() => Meeting)
export class MeetingsResolver {
  constructor(
    private readonly commands: MeetingCommands,
    private readonly queries: MeetingQueries,
    private readonly scope: Scope,
    private readonly readYourWrites: ReadYourWrites,
    private readonly feed: MeetingFeed,
    private readonly receipts: Receipts,
  ) {}

  private async visible(actor: Actor | undefined, meetingId: string): Promise<Meeting> {
    const villageId = this.queries.villageOf(meetingId);
    const found = villageId === undefined ? undefined : this.queries.meeting(meetingId);
    if (
      actor === undefined ||
      found === undefined ||
      !(await this.scope.covers(actor, villageId))
    ) {
      throw forbidden();
    }
    return found;
  }

  private async answer(written: { id: string; position: bigint }): Promise<MeetingPayload> {
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, meeting: this.queries.meeting(written.id) ?? null };
  }

  private async answerBallot(written: Receipted): Promise<BallotPayload> {
    const [consistency, receipt] = await Promise.all([
      this.readYourWrites.after(written.position),
      this.receipts.after(written.eventId, written.position),
    ]);
    return { ...consistency, ballot: this.queries.ballot(written.id) ?? null, receipt };
  }

  private async answerCheckIn(written: Receipted): Promise<CheckInPayload> {
    const [payload, receipt] = await Promise.all([
      this.answer(written),
      this.receipts.after(written.eventId, written.position),
    ]);
    return { ...payload, receipt };
  }

  @Query(() => Meeting)
  meeting(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    return this.visible(context.actor, meetingId);
  }

  @Query(() => MeetingConnection)
  async meetings(
    @Args() { villageId }: VillageArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    await this.scope.require(context.actor as Actor, villageId);
    return this.queries.meetingsOf(villageId, page);
  }

  @Query(() => [Ballot], { description: 'The caller’s own ballots, newest last: their receipts.' })
  myBallots(@Args() page: PageArgs, @Context() context: GraphQLContext) {
    const actor = context.actor as Actor;
    return this.queries.ballotsOfVillager(actor.subject, page).edges.map((edge) => edge.node);
  }

  @Mutation(() => MeetingPayload)
  async conveneMeeting(
    @Args('input') input: ConveneMeetingInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.convene(input, commandContextOf(context)));
  }

  @Mutation(() => MeetingPayload, { description: 'Freezes the roll of the day (A1).' })
  async openMeeting(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    return this.answer(await this.commands.open(meetingId, commandContextOf(context)));
  }

  @Mutation(() => CheckInPayload, { description: 'A villager checks in online, as themselves.' })
  async checkIn(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    const command = commandContextOf(context);
    return this.answerCheckIn(
      await this.commands.checkIn(meetingId, command.actor.subject, 'ONLINE', command),
    );
  }

  @Mutation(() => CheckInPayload, {
    description: 'The clerk records a villager present in person.',
  })
  async recordAttendance(
    @Args() { meetingId, villagerId }: AttendeeArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answerCheckIn(
      await this.commands.checkIn(meetingId, villagerId, 'IN_PERSON', commandContextOf(context)),
    );
  }

  @Mutation(() => MeetingPayload, { description: 'A villager leaves the sitting.' })
  async leaveMeeting(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    const command = commandContextOf(context);
    return this.answer(await this.commands.leave(meetingId, command.actor.subject, command));
  }

  @Mutation(() => MeetingPayload, { description: 'The clerk records a villager leaving.' })
  async recordDeparture(
    @Args() { meetingId, villagerId }: AttendeeArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.leave(meetingId, villagerId, commandContextOf(context)));
  }

  @Mutation(() => MeetingPayload, { description: 'Refused without a quorum (A3/R4).' })
  async openVoting(@Args() { meetingId, itemId }: ItemArgs, @Context() context: GraphQLContext) {
    return this.answer(
      await this.commands.openVoting(meetingId, itemId, commandContextOf(context)),
    );
  }

  @Mutation(() => BallotPayload, { description: 'A villager votes online, as themselves.' })
  async castBallot(
    @Args() { meetingId, itemId, choice }: BallotArgs,
    @Context() context: GraphQLContext,
  ) {
    const command = commandContextOf(context);
    const ballot = { meetingId, itemId, choice, villagerId: command.actor.subject };
    return this.answerBallot(await this.commands.castBallot(ballot, 'ONLINE', command));
  }

  @Mutation(() => BallotPayload, { description: 'The clerk enters a paper ballot.' })
  async recordPaperBallot(@Args() args: PaperBallotArgs, @Context() context: GraphQLContext) {
    const { meetingId, itemId, villagerId, choice } = args;
    return this.answerBallot(
      await this.commands.castBallot(
        { meetingId, itemId, villagerId, choice },
        'PAPER',
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => MeetingPayload, { description: 'A supervisor countersigns the paper ballots.' })
  async countersignPaperBallots(
    @Args() { meetingId, itemId }: ItemArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.countersign(meetingId, itemId, commandContextOf(context)),
    );
  }

  @Mutation(() => MeetingPayload, { description: 'Decides the item and resolves its proposal.' })
  async closeVoting(@Args() { meetingId, itemId }: ItemArgs, @Context() context: GraphQLContext) {
    return this.answer(
      await this.commands.closeVoting(meetingId, itemId, commandContextOf(context)),
    );
  }

  @Mutation(() => MeetingPayload)
  async adjournMeeting(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    return this.answer(await this.commands.adjourn(meetingId, commandContextOf(context)));
  }

  @Subscription(() => Meeting, {
    description: 'The meeting each time its attendance, voting or tally changes.',
    resolve: (meeting: Meeting) => meeting,
  })
  async meetingUpdated(@Args() { meetingId }: MeetingArgs, @Context() context: GraphQLContext) {
    await this.visible(context.actor, meetingId);
    return this.feed.meeting(meetingId);
  }
}

@Resolver(() => AgendaItem)
export class AgendaItemResolver {
  constructor(
    private readonly queries: MeetingQueries,
    private readonly scope: Scope,
  ) {}

  @ResolveField(() => [Ballot], {
    nullable: true,
    description: 'Every ballot on the item: null unless the caller is an officer of the village.',
  })
  async ballots(@Parent() item: AgendaItem, @Context() context: GraphQLContext) {
    const actor = context.actor;
    if (actor === undefined || !SEES_BALLOTS.has(actor.role)) return null;
    if (!(await this.scope.covers(actor, item.villageId))) return null;
    return this.queries.ballotsOfItem(item.meetingId, item.itemId);
  }
}
