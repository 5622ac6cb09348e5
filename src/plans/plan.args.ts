import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class PlanArgs {
  @Field(() => ID) @IsUUID() planId: string;
}
