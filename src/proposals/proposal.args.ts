import { MATTERS, type Matter, proposal } from '@cunyi/domain';
import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsOptional, IsUUID, Length } from 'class-validator';
import { MatterEnum } from '../graphql/enums';
import { VillageArgs } from '../villages/village.args';
import { ProposalStepEnum } from './proposal.types';

@ArgsType()
export class ProposalArgs {
  @Field(() => ID) @IsUUID() proposalId: string;
}

@ArgsType()
export class ProposalsArgs extends VillageArgs {
  @Field(() => ProposalStepEnum, {
    nullable: true,
    description: 'Only proposals at this step of 四议两公开.',
  })
  @IsOptional()
  @IsIn(proposal.PROPOSAL_STEPS)
  status?: proposal.ProposalStep;

  @Field(() => MatterEnum, { nullable: true })
  @IsOptional()
  @IsIn(MATTERS)
  matter?: Matter;
}

@ArgsType()
export class ReasonArgs extends ProposalArgs {
  @Field() @Length(1, 2000) reason: string;
}

@ArgsType()
export class ImplementationArgs extends ProposalArgs {
  @Field({ description: 'What was done, in the clerk’s words.' })
  @Length(1, 20_000)
  summary: string;
}

@ArgsType()
export class CorrectionArgs extends ProposalArgs {
  @Field({ description: 'The law or right the decision breaks (C2).' })
  @Length(1, 2000)
  legalBasis: string;
}
