import {
  type Body,
  type ItemOutcome,
  MATTERS,
  type Matter,
  proposal,
  type RuleId,
} from '@cunyi/domain';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType } from '../graphql/connection';
import { BodyEnum, MatterEnum, OutcomeEnum, RuleIdEnum } from '../graphql/enums';
import { Judgement, Tally, Written } from '../graphql/types';
import { MAX_VERSION } from '../plans/plan.types';
import { VILLAGE_ID } from '../villages/village.args';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const ProposalStepEnum = asEnum(proposal.PROPOSAL_STEPS);
export const ProposerKindEnum = asEnum(proposal.PROPOSER_KINDS);
export const DeliberationStepEnum = asEnum(proposal.DELIBERATION_STEPS);
registerEnumType(ProposalStepEnum, {
  name: 'ProposalStep',
  description: 'Where a proposal stands on the path of 四议两公开.',
});
registerEnumType(ProposerKindEnum, { name: 'ProposerKind' });
registerEnumType(DeliberationStepEnum, {
  name: 'DeliberationStep',
  description: 'JOINT_COMMITTEES: step 2, 商议. PARTY_MEMBERS: step 3, 审议.',
});

@ObjectType()
export class Deliberation {
  @Field(() => DeliberationStepEnum) step: proposal.DeliberationStep;
  @Field() heldAt: string;
  @Field(() => Int) members: number;
  @Field(() => Int) attending: number;
  @Field(() => Int) agreeing: number;
  @Field() agreed: boolean;
  @Field({ description: 'SHA-256 of the signed minutes.' }) minutesSha256: string;
  @Field(() => [Judgement]) judgements: Judgement[];
  @Field() recordedAt: string;
}

@ObjectType()
export class Tabling {
  @Field(() => ID) meetingId: string;
  @Field() itemId: string;
  @Field(() => BodyEnum) body: Body;
  @Field() tabledAt: string;
}

@ObjectType()
export class Publication {
  @Field() publishedAt: string;
  @Field({ description: 'The notice’s text, or the hash of the document posted.' }) notice: string;
}

@ObjectType()
export class ResolutionPublication extends Publication {
  @Field({ description: 'P2: when a major matter’s resolution was due.' }) dueBy: string;
  @Field() late: boolean;
}

@ObjectType()
export class ImplementationReport {
  @Field() summary: string;
  @Field() reportedAt: string;
  @Field(() => ID, { nullable: true, description: 'M2: the authorisation it was decided under.' })
  authorisationId: string | null;
}

@ObjectType({ description: 'C2 (责令改正): the township orders it corrected; the outcome stands.' })
export class CorrectionOrder {
  @Field(() => ID) orderId: string;
  @Field(() => ID, { nullable: true, description: 'The ordering auditor: null to the public.' })
  auditorId: string | null;
  @Field() legalBasis: string;
  @Field() orderedAt: string;
}

@ObjectType({ description: 'Step 4 (决议) as the meeting decided it, and what followed.' })
export class Resolution {
  @Field(() => ID) meetingId: string;
  @Field() itemId: string;
  @Field(() => BodyEnum) body: Body;
  @Field(() => OutcomeEnum) outcome: ItemOutcome;
  @Field(() => Tally) tally: Tally;
  @Field(() => Int, { description: 'The size of the body’s frozen roll.' }) members: number;
  @Field(() => [Judgement], { description: 'The rules it was judged under, with what they found.' })
  judgements: Judgement[];
  @Field(() => [RuleIdEnum]) rules: RuleId[];
  @Field() ruleBook: string;
  @Field() decidedAt: string;
  @Field(() => ResolutionPublication, { nullable: true, description: 'Step 5, 决议公开.' })
  publication: ResolutionPublication | null;
  @Field(() => [ImplementationReport]) implementationReports: ImplementationReport[];
  @Field(() => Publication, { nullable: true, description: 'Step 6, 实施结果公开.' })
  resultsPublication: Publication | null;
  @Field(() => CorrectionOrder, { nullable: true }) correction: CorrectionOrder | null;
}

@ObjectType({
  description:
    'M2: what an AUTHORISATION proposal puts to the vote — the M1 matters the representatives’ assembly may decide once it passes.',
})
export class AuthorisationSubject {
  @Field(() => [MatterEnum]) matters: Matter[];
  @Field(() => String, { nullable: true, description: 'Without it, until revoked.' })
  expiresAt: string | null;
}

@ObjectType({ description: 'M4: the plan version a PLAN_CONSENT proposal asks consent for.' })
export class PlanSubject {
  @Field(() => ID) planId: string;
  @Field(() => Int) version: number;
}

@ObjectType({ description: 'A village matter (议题) on its way through 四议两公开.' })
export class Proposal {
  @Field(() => ID) id: string;
  @Field(() => ID) villageId: string;
  @Field() title: string;
  @Field() body: string;
  @Field(() => MatterEnum) matter: Matter;
  @Field(() => ProposerKindEnum) proposer: proposal.Proposer['kind'];
  @Field(() => ID, { nullable: true }) petitionId: string | null;
  @Field(() => AuthorisationSubject, {
    nullable: true,
    description: 'M2: on an AUTHORISATION proposal, what it hands over.',
  })
  authorisation: AuthorisationSubject | null;
  @Field(() => PlanSubject, {
    nullable: true,
    description: 'M4: on a PLAN_CONSENT proposal, the plan version voted on.',
  })
  plan: PlanSubject | null;
  @Field() draftedAt: string;
  @Field(() => ProposalStepEnum) step: proposal.ProposalStep;
  @Field(() => Int, { description: 'The last step of 四议两公开 (1–6) completed.' })
  pathStep: number;
  @Field(() => [Deliberation]) deliberations: Deliberation[];
  @Field(() => [Tabling]) tablings: Tabling[];
  @Field(() => Resolution, { nullable: true, description: 'The latest resolution.' })
  resolution: Resolution | null;
  @Field(() => [Resolution], { description: 'Every resolution, oldest first.' })
  resolutions: Resolution[];
  @Field(() => CorrectionOrder, { nullable: true, description: 'C2: a standing correction order.' })
  suspension: CorrectionOrder | null;
  @Field(() => String, { nullable: true }) withdrawnReason: string | null;
}

export const ProposalConnection = ConnectionType(Proposal, 'Proposal');

@ObjectType()
export class ProposalPayload extends Written {
  @Field(() => Proposal, { nullable: true }) proposal: Proposal | null;
}

@InputType({ description: 'M2: what an AUTHORISATION proposal hands over, if it passes.' })
export class AuthorisationSubjectInput {
  @Field(() => [MatterEnum], {
    description: 'The M1 matters the representatives’ assembly may then decide, none twice.',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MATTERS.length)
  @IsIn(MATTERS, { each: true })
  matters: Matter[];
  @Field(() => String, { nullable: true, description: 'Without it, until revoked.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
}

@InputType({ description: 'M4: the plan version a PLAN_CONSENT proposal asks consent for.' })
export class PlanSubjectInput {
  @Field(() => ID) @IsUUID() planId: string;
  @Field(() => Int) @Min(1) @Max(MAX_VERSION) version: number;
}

@InputType()
export class DraftProposalInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field() @Length(1, 200) title: string;
  @Field({ description: 'The text of the proposal.' }) @Length(1, 20_000) body: string;
  @Field(() => MatterEnum) @IsIn(MATTERS) matter: Matter;
  @Field(() => ProposerKindEnum) @IsIn(proposal.PROPOSER_KINDS) proposer: proposal.Proposer['kind'];
  @Field(() => ID, { nullable: true, description: 'Required when the proposer is a PETITION.' })
  @IsOptional()
  @IsUUID()
  petitionId?: string;
  @Field(() => AuthorisationSubjectInput, {
    nullable: true,
    description: 'M2: required when the matter is AUTHORISATION, refused otherwise.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuthorisationSubjectInput)
  authorisation?: AuthorisationSubjectInput | null;
  @Field(() => PlanSubjectInput, {
    nullable: true,
    description: 'M4: required when the matter is PLAN_CONSENT, refused otherwise.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanSubjectInput)
  plan?: PlanSubjectInput | null;
}

@InputType()
export class RecordDeliberationInput {
  @Field(() => ID) @IsUUID() proposalId: string;
  @Field(() => DeliberationStepEnum)
  @IsIn(proposal.DELIBERATION_STEPS)
  step: proposal.DeliberationStep;
  @Field() @IsISO8601({ strict: true }) heldAt: string;
  @Field(() => Int, { description: 'Everyone entitled to sit.' })
  @Min(1)
  @Max(100_000)
  members: number;
  @Field(() => Int) @Min(0) @Max(100_000) attending: number;
  @Field(() => Int) @Min(0) @Max(100_000) agreeing: number;
  @Field({ description: 'SHA-256 of the signed minutes, 64 hex characters.' })
  @Matches(/^[0-9a-f]{64}$/)
  minutesSha256: string;
}

@InputType()
export class PublicationInput {
  @Field(() => ID) @IsUUID() proposalId: string;
  @Field({ description: 'When the notice went up: not after now.' })
  @IsISO8601({ strict: true })
  publishedAt: string;
  @Field() @Length(1, 20_000) notice: string;
}
