import type { Body, Choice, ItemOutcome, Matter, QuorumBasis, RuleId } from '@cunyi/domain';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Length,
} from 'class-validator';
import { ConnectionType } from '../graphql/connection';
import {
  BodyEnum,
  ChannelEnum,
  ChoiceEnum,
  MatterEnum,
  OutcomeEnum,
  QuorumBasisEnum,
  RuleIdEnum,
} from '../graphql/enums';
import { Judgement, Quorum, Tally, Written } from '../graphql/types';
import { Receipt } from '../transparency/transparency.types';

export const MeetingPhaseEnum = {
  CONVENED: 'CONVENED',
  SITTING: 'SITTING',
  ADJOURNED: 'ADJOURNED',
} as const;
export const VotingStatusEnum = {
  NOT_OPENED: 'NOT_OPENED',
  OPEN: 'OPEN',
  CLOSED: 'CLOSED',
} as const;
registerEnumType(MeetingPhaseEnum, { name: 'MeetingPhase' });
registerEnumType(VotingStatusEnum, { name: 'VotingStatus' });

@ObjectType()
export class Attendance {
  @Field(() => Int, { description: 'Members present now.' }) present: number;
  @Field(() => Int) online: number;
  @Field(() => Int) inPerson: number;
  @Field(() => Int, { description: 'Members who checked in and have since left.' }) left: number;
}

@ObjectType({
  description: 'One ballot. Choices are shown only to the voter and to the village officers.',
})
export class Ballot {
  @Field(() => ID) ballotId: string;
  @Field(() => ID) meetingId: string;
  @Field() itemId: string;
  @Field(() => ID) villagerId: string;
  @Field(() => ChoiceEnum) choice: Choice;
  @Field(() => ChannelEnum) channel: 'ONLINE' | 'PAPER';
  @Field() castAt: string;
  @Field({
    description: 'A later ballot of the same voter replaced it (only where the meeting allows).',
  })
  superseded: boolean;
  @Field(() => ID, { nullable: true, description: 'Supervisor who countersigned a paper ballot.' })
  countersignedBy: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the item’s decision counted it: null until voting closes.',
  })
  counted: boolean | null;
}

@ObjectType()
export class AgendaItem {
  @Field() itemId: string;
  @Field(() => ID) proposalId: string;
  @Field(() => MatterEnum) matter: Matter;
  @Field() title: string;
  @Field(() => VotingStatusEnum) voting: keyof typeof VotingStatusEnum;
  @Field(() => Quorum, { nullable: true, description: 'A3/R4 when voting opened.' })
  quorumAtOpening: Quorum | null;
  @Field(() => Tally, {
    nullable: true,
    description: 'Live while voting is open; final once closed.',
  })
  tally: Tally | null;
  @Field(() => OutcomeEnum, { nullable: true }) outcome: ItemOutcome | null;
  @Field(() => [Judgement], { description: 'The judgements the outcome rests on.' })
  judgements: Judgement[];
  @Field(() => [RuleIdEnum]) rules: RuleId[];
  @Field(() => String, { nullable: true }) ruleBook: string | null;
  @Field(() => String, { nullable: true }) decidedAt: string | null;
  /** Resolved field: officers of the village only. */
  meetingId: string;
  villageId: string;
}

@ObjectType({
  description:
    'A sitting of the villagers’ or representatives’ assembly: step 4 (决议) of 四议两公开.',
})
export class Meeting {
  @Field(() => ID) id: string;
  @Field(() => ID) villageId: string;
  @Field(() => BodyEnum) body: Body;
  @Field(() => QuorumBasisEnum) quorumBasis: QuorumBasis;
  @Field(() => MeetingPhaseEnum) phase: keyof typeof MeetingPhaseEnum;
  @Field(() => Int, { description: 'Its step in 四议两公开: 4, 决议.' }) pathStep: number;
  @Field() scheduledAt: string;
  @Field() noticeAt: string;
  @Field() convenedAt: string;
  @Field(() => [Judgement], { description: 'A2: the notice villagers were given.' })
  notice: Judgement[];
  @Field(() => String, { nullable: true }) openedAt: string | null;
  @Field(() => String, { nullable: true, description: 'The day ages are reckoned on (A1).' })
  meetingDate: string | null;
  @Field(() => Int, { nullable: true, description: 'Members on the roll frozen at opening.' })
  rollSize: number | null;
  @Field(() => Int, { nullable: true }) households: number | null;
  @Field(() => [Judgement], { description: 'R1: the representatives’ assembly’s make-up.' })
  composition: Judgement[];
  @Field(() => Attendance) attendance: Attendance;
  @Field(() => Quorum, {
    nullable: true,
    description: 'A3 or R4 as it stands; null before opening.',
  })
  quorum: Quorum | null;
  @Field(() => [AgendaItem]) items: AgendaItem[];
  @Field(() => String, { nullable: true }) adjournedAt: string | null;
}

export const MeetingConnection = ConnectionType(Meeting, 'Meeting');

@ObjectType()
export class MeetingPayload extends Written {
  @Field(() => Meeting, { nullable: true }) meeting: Meeting | null;
}

@ObjectType()
export class CheckInPayload extends MeetingPayload {
  @Field(() => Receipt, { description: 'Where the check-in sits in the transparency log.' })
  receipt: Receipt;
}

@ObjectType()
export class BallotPayload extends Written {
  @Field(() => Ballot, { nullable: true, description: 'The ballot: keep its ballotId.' })
  ballot: Ballot | null;
  @Field(() => Receipt, {
    description:
      'Where the ballot sits in the transparency log: keep it, and check it later against any newer signed tree head (inclusionProof).',
  })
  receipt: Receipt;
}

@InputType()
export class ConveneMeetingInput {
  @Field(() => ID) @Length(1, 64) villageId: string;
  @Field(() => BodyEnum) @IsIn(Object.values(BodyEnum)) body: Body;
  @Field(() => QuorumBasisEnum, { defaultValue: 'MEMBERS' })
  @IsIn(Object.values(QuorumBasisEnum))
  quorumBasis: QuorumBasis = 'MEMBERS';
  @Field() @IsISO8601({ strict: true }) scheduledAt: string;
  @Field({ description: 'When villagers were notified: not after now (A2 wants 10 days).' })
  @IsISO8601({ strict: true })
  noticeAt: string;
  @Field(() => [ID], { description: 'The agenda: proposals with steps 1–3 on record (F1).' })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'a proposal appears on the agenda once' })
  @IsUUID('all', { each: true })
  proposalIds: string[];
  @Field(() => ID, {
    nullable: true,
    description: 'The petition that obliged the convening (A2/R3).',
  })
  @IsOptional()
  @IsUUID()
  petitionId?: string;
}
