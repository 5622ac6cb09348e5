import type { Choice } from '@cunyi/domain';
import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsUUID, Length } from 'class-validator';
import { ChoiceEnum } from '../graphql/enums';

@ArgsType()
export class MeetingArgs {
  @Field(() => ID) @IsUUID() meetingId: string;
}

@ArgsType()
export class ItemArgs extends MeetingArgs {
  @Field() @Length(1, 64) itemId: string;
}

@ArgsType()
export class AttendeeArgs extends MeetingArgs {
  @Field(() => ID) @Length(1, 64) villagerId: string;
}

@ArgsType()
export class BallotArgs extends ItemArgs {
  @Field(() => ChoiceEnum) @IsIn(Object.values(ChoiceEnum)) choice: Choice;
}

@ArgsType()
export class PaperBallotArgs extends BallotArgs {
  @Field(() => ID, { description: 'The voter whose paper ballot the clerk enters.' })
  @Length(1, 64)
  villagerId: string;
}
