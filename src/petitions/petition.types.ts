import type { PetitionPurpose, RuleId } from '@cunyi/domain';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { ConnectionType } from '../graphql/connection';
import { RuleIdEnum } from '../graphql/enums';
import { Citation, Written } from '../graphql/types';
import { Receipt } from '../transparency/transparency.types';
import { VILLAGE_ID } from '../villages/village.args';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const PETITION_PURPOSES = [
  'CONVENE_ASSEMBLY',
  'CONVENE_REPRESENTATIVES',
  'RECALL',
  'AUDIT_REQUEST',
  'PROPOSE_ITEM',
] as const satisfies readonly PetitionPurpose[];
export const SIGNATORIES = ['VILLAGERS', 'REPRESENTATIVES'] as const;

export const PetitionPurposeEnum = asEnum(PETITION_PURPOSES);
export const SignatoriesEnum = asEnum(SIGNATORIES);
registerEnumType(PetitionPurposeEnum, {
  name: 'PetitionPurpose',
  description:
    'What a petition (联名提议) asks for: convene an assembly (A2, R3), recall a committee member (E5), an audit (P6), or an item on the agenda (A2).',
});
registerEnumType(SignatoriesEnum, {
  name: 'Signatories',
  description: 'Who may sign: the villagers aged 18 and over, or the representatives.',
});

@ObjectType({ description: 'How many signatures the petition needs, and the rule that says so.' })
export class PetitionThreshold {
  @Field(() => RuleIdEnum) ruleId: RuleId;
  @Field(() => Int) required: number;
  @Field(() => Int, { description: 'Those who could sign when the petition started.' }) of: number;
  @Field(() => Citation) citation: Citation;
}

@ObjectType({ description: 'E5: the committee member a recall petition names, and why.' })
export class RecallDemand {
  @Field(() => ID) memberId: string;
  @Field() reasons: string;
}

@ObjectType({
  description:
    'A villagers’ petition (联名提议): once it has its signatures, the committee must act.',
})
export class Petition {
  @Field(() => ID) id: string;
  @Field(() => ID) villageId: string;
  @Field(() => PetitionPurposeEnum) purpose: PetitionPurpose;
  @Field(() => SignatoriesEnum) signatories: (typeof SIGNATORIES)[number];
  @Field({ description: 'What the petitioners ask for, in their words.' }) subject: string;
  @Field(() => RecallDemand, { nullable: true }) recall: RecallDemand | null;
  @Field(() => PetitionThreshold) threshold: PetitionThreshold;
  @Field(() => Int, { description: 'Signatures standing now.' }) signatureCount: number;
  @Field() thresholdReached: boolean;
  @Field(() => String, { nullable: true, description: 'From when the committee is bound to act.' })
  thresholdReachedAt: string | null;
  @Field(() => String, { nullable: true }) closedAt: string | null;
  @Field(() => String, { nullable: true }) closedReason: string | null;
  @Field() startedAt: string;
}

export const PetitionConnection = ConnectionType(Petition, 'Petition');

@ObjectType()
export class PetitionPayload extends Written {
  @Field(() => Petition, { nullable: true }) petition: Petition | null;
}

@ObjectType()
export class SignaturePayload extends PetitionPayload {
  @Field(() => Receipt, { description: 'Where the signature sits in the transparency log.' })
  receipt: Receipt;
}

@InputType()
export class RecallDemandInput {
  @Field(() => ID, { description: 'The committee member to be recalled.' })
  @Length(1, 64)
  memberId: string;
  @Field() @Length(1, 5000) reasons: string;
}

@InputType()
export class StartPetitionInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => PetitionPurposeEnum) @IsIn(PETITION_PURPOSES) purpose: PetitionPurpose;
  @Field(() => SignatoriesEnum) @IsIn(SIGNATORIES) signatories: (typeof SIGNATORIES)[number];
  @Field() @Length(1, 2000) subject: string;
  @Field(() => RecallDemandInput, { nullable: true, description: 'Required for a RECALL (E5).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecallDemandInput)
  recall?: RecallDemandInput;
}
