import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID, Length } from 'class-validator';

@ArgsType()
export class PetitionArgs {
  @Field(() => ID) @IsUUID() petitionId: string;
}

@ArgsType()
export class ClosePetitionArgs extends PetitionArgs {
  @Field({ description: 'Why the clerk closes it, e.g. it lapsed or the duty was done.' })
  @Length(1, 2000)
  reason: string;
}
