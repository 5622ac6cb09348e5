import type { Body, ItemOutcome, RuleId } from '@cunyi/domain';
import { plan } from '@cunyi/domain';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsISO8601, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ConnectionType } from '../graphql/connection';
import { BodyEnum, OutcomeEnum, RuleIdEnum } from '../graphql/enums';
import { Citation, Written } from '../graphql/types';
import { VILLAGE_ID } from '../villages/village.args';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const PLAN_VERSION_STATUSES = [
  'DRAFT',
  'ANNOUNCED',
  'CONSENTED',
  'SUBMITTED',
  'APPROVED',
  'SUPERSEDED',
] as const satisfies readonly plan.VersionStatus[];

export const PlanKindEnum = asEnum(plan.PLAN_KINDS);
export const PlanVersionStatusEnum = asEnum(PLAN_VERSION_STATUSES);
registerEnumType(PlanKindEnum, {
  name: 'PlanKind',
  description: 'The county’s "1+4" planning system: the county master plan and four village plans.',
});
registerEnumType(PlanVersionStatusEnum, {
  name: 'PlanVersionStatus',
  description:
    'Where a version stands on M4’s path. SUPERSEDED: a newer version took its place (see approvedAt).',
});

/**
 * M4's public notice, from the announcement to the assembly's decision. Not the shared Judgement
 * type: M4 is judged in milliseconds, and 30 days of them do not fit a GraphQL Int.
 */
@ObjectType({
  description: 'M4: how long the draft was publicly announced before the assembly decided.',
})
export class PlanNotice {
  @Field(() => RuleIdEnum) ruleId: RuleId;
  @Field() met: boolean;
  @Field(() => Float, { description: 'Days from the announcement to the decision.' }) days: number;
  @Field(() => Int, { description: 'Days M4 requires.' }) requiredDays: number;
  @Field(() => Citation) citation: Citation;
}

@ObjectType({ description: 'The assembly resolution that consented to the version (M4).' })
export class PlanConsent {
  @Field(() => ID) meetingId: string;
  @Field() itemId: string;
  @Field(() => ID) proposalId: string;
  @Field(() => BodyEnum) body: Body;
  @Field(() => OutcomeEnum) outcome: ItemOutcome;
  @Field() decidedAt: string;
}

@ObjectType({
  description: 'One version of a plan: the document villagers were shown and consented to.',
})
export class PlanVersion {
  @Field(() => Int) version: number;
  @Field({ description: 'SHA-256 of the plan document.' }) documentSha256: string;
  @Field() summary: string;
  @Field(() => PlanVersionStatusEnum) status: plan.VersionStatus;
  @Field() proposedAt: string;
  @Field(() => Int, { nullable: true, description: 'The approved version this one amends.' })
  amends: number | null;
  @Field(() => String, { nullable: true, description: 'When the draft went up for the public.' })
  announcedAt: string | null;
  @Field(() => PlanNotice, { nullable: true, description: 'M4, once consent is recorded.' })
  publicNotice: PlanNotice | null;
  @Field(() => PlanConsent, { nullable: true }) consent: PlanConsent | null;
  @Field(() => String, { nullable: true }) submittedTo: string | null;
  @Field(() => String, { nullable: true, description: 'The authority that approved it.' })
  approvedBy: string | null;
  @Field(() => String, { nullable: true }) approvedAt: string | null;
  @Field(() => Int, { nullable: true, description: 'The version that took its place.' })
  supersededBy: number | null;
}

@ObjectType({ description: 'A village plan (规划) and every version of it: 一张蓝图绘到底.' })
export class Plan {
  @Field(() => ID) id: string;
  @Field(() => ID) villageId: string;
  @Field(() => PlanKindEnum) kind: plan.PlanKind;
  @Field() title: string;
  @Field() draftedAt: string;
  @Field(() => [PlanVersion], { description: 'Every version ever proposed, version 1 first.' })
  versions: PlanVersion[];
  @Field(() => Int, {
    nullable: true,
    description: 'The approved version in force: the blueprint.',
  })
  currentVersion: number | null;
}

export const PlanConnection = ConnectionType(Plan, 'Plan');

@ObjectType()
export class PlanPayload extends Written {
  @Field(() => Plan, { nullable: true }) plan: Plan | null;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** The highest plan version a client may name. */
export const MAX_VERSION = 10_000;

@InputType()
export class DraftPlanInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => PlanKindEnum) @IsIn(plan.PLAN_KINDS) kind: plan.PlanKind;
  @Field() @Length(1, 200) title: string;
}

/** The version a command works on: not a schema type of its own. */
@InputType({ isAbstract: true })
abstract class PlanVersionInput {
  @Field(() => ID) @IsUUID() planId: string;
  @Field(() => Int) @Min(1) @Max(MAX_VERSION) version: number;
}

@InputType()
export class ProposePlanVersionInput extends PlanVersionInput {
  @Field({ description: 'SHA-256 of the plan document, 64 lowercase hex digits.' })
  @Matches(SHA256, { message: 'documentSha256 must be 64 lowercase hex digits' })
  documentSha256: string;
  @Field() @Length(1, 20_000) summary: string;
}

@InputType()
export class AnnouncePlanDraftInput extends PlanVersionInput {
  @Field({ description: 'When the draft went up: not after now. M4’s 30 days run from here.' })
  @IsISO8601({ strict: true })
  announcedAt: string;
}

@InputType()
export class RecordPlanConsentInput extends PlanVersionInput {
  @Field(() => ID, { description: 'The meeting that decided the PLAN_CONSENT item.' })
  @IsUUID()
  meetingId: string;
  @Field() @Length(1, 64) itemId: string;
}

@InputType()
export class SubmitPlanForApprovalInput extends PlanVersionInput {
  @Field({ description: 'The authority it goes to, by name.' }) @Length(1, 200) submittedTo: string;
}

@InputType()
export class RecordPlanApprovalInput extends PlanVersionInput {
  @Field({ description: 'The authority that approved it, by name.' })
  @Length(1, 200)
  authority: string;
  @Field({ description: 'When it was approved: not after now.' })
  @IsISO8601({ strict: true })
  approvedAt: string;
}
