import {
  type ItemOutcome,
  isInstant,
  type Matter,
  type PetitionPurpose,
  type petition,
  type RuleId,
} from '@cunyi/domain';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  Length,
  Validate,
  ValidateNested,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { MatterEnum, OutcomeEnum, RuleIdEnum } from '../../graphql/enums';
import { Citation } from '../../graphql/types';
import { PetitionPurposeEnum } from '../../petitions/petition.types';

/** A year and a day: a calendar year (leap or not) plus a timezone's worth of slack. */
export const MAX_PERIOD_DAYS = 367;
const DAY_MS = 24 * 60 * 60 * 1000;

@ValidatorConstraint({ name: 'isInstant' })
class IsInstant implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isInstant(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an ISO-8601 instant with an offset, e.g. 2026-01-01T00:00:00+08:00`;
  }
}

/** `to` after `from`, and the span a reading of a township can cover. */
@ValidatorConstraint({ name: 'periodSpan' })
class PeriodSpan implements ValidatorConstraintInterface {
  validate(to: unknown, args: ValidationArguments): boolean {
    const { from } = args.object as PeriodInput;
    if (typeof to !== 'string' || typeof from !== 'string') return false;
    const span = Date.parse(to) - Date.parse(from);
    return span > 0 && span <= MAX_PERIOD_DAYS * DAY_MS;
  }
  defaultMessage(): string {
    return `to must be after from, and at most ${MAX_PERIOD_DAYS} days after it`;
  }
}

@InputType({ description: 'From `from` (inclusive) to `to` (exclusive), ISO-8601 instants.' })
export class PeriodInput {
  @Field() @Validate(IsInstant) from: string;
  @Field() @Validate(IsInstant) @Validate(PeriodSpan) to: string;
}

@ArgsType()
export class TownshipOverviewArgs {
  @Field({ description: 'The township, as villages are registered under it.' })
  @Length(1, 50)
  township: string;

  @Field(() => PeriodInput)
  @ValidateNested()
  @Type(() => PeriodInput)
  period: PeriodInput;
}

/** What a flag of the overview is raised for. */
export const OVERVIEW_FLAGS = [
  'OVERDUE_PUBLICATION',
  'PETITION_DUTY_STANDING',
  'OPEN_CORRECTION_ORDER',
] as const;
export type OverviewFlag = (typeof OVERVIEW_FLAGS)[number];
export const OverviewFlagEnum = Object.fromEntries(OVERVIEW_FLAGS.map((flag) => [flag, flag])) as {
  [K in OverviewFlag]: K;
};
registerEnumType(OverviewFlagEnum, {
  name: 'OverviewFlag',
  description:
    'OVERDUE_PUBLICATION (P2), PETITION_DUTY_STANDING (PRACTICE: PETITION_DUTY_DAYS), OPEN_CORRECTION_ORDER (C2).',
});

/** The committee's duty once a petition has its signatures (the domain's petition Duty). */
const DUTIES = {
  CONVENE_VILLAGERS_ASSEMBLY: true,
  CONVENE_REPRESENTATIVES_ASSEMBLY: true,
  HOLD_RECALL_VOTE: true,
  ARRANGE_AUDIT: true,
  TABLE_ITEM: true,
} as const satisfies Record<petition.Duty, true>;
export const PetitionDutyEnum = Object.fromEntries(
  Object.keys(DUTIES).map((duty) => [duty, duty]),
) as { [K in petition.Duty]: K };
registerEnumType(PetitionDutyEnum, {
  name: 'PetitionDuty',
  description: 'What the committee must do once a petition has its signatures.',
});

@ObjectType()
export class Period {
  @Field() from: string;
  @Field() to: string;
}

@ObjectType({
  description:
    'Meetings opened in the period. Each is counted once: REACHED (quorum at every vote), LOST (an item decided QUORUM_LOST), or NEVER_REACHED.',
})
export class MeetingsHeld {
  @Field(() => Int) held: number;
  @Field(() => Int, { description: 'Quorum reached, and not lost at any close of voting.' })
  quorumReached: number;
  @Field(() => Int, { description: 'quorumLost + quorumNeverReached.' }) quorumMissed: number;
  @Field(() => Int, { description: 'At least one item was decided QUORUM_LOST (A3/R4).' })
  quorumLost: number;
  @Field(() => Int, { description: 'No vote opened, and those present do not make a quorum.' })
  quorumNeverReached: number;
}

@ObjectType({ description: 'Resolutions decided in the period, for one matter and outcome.' })
export class ResolutionCount {
  @Field(() => MatterEnum) matter: Matter;
  @Field(() => OutcomeEnum) outcome: ItemOutcome;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'P2: a resolution not published by its due date, as of `asOf`.' })
export class OverduePublication {
  @Field(() => ID) villageId: string;
  @Field(() => ID) proposalId: string;
  @Field() title: string;
  @Field(() => MatterEnum) matter: Matter;
  @Field(() => OutcomeEnum) outcome: ItemOutcome;
  @Field(() => ID) meetingId: string;
  @Field({ description: 'When the meeting decided it.' }) resolvedAt: string;
  @Field({ description: 'P2: major matters within the village’s days, others by quarter end.' })
  dueBy: string;
  @Field({ description: 'A major matter (M1, M3, plan consent): published “at once”.' })
  major: boolean;
  @Field(() => String, {
    nullable: true,
    description: 'When it was published, if that came after `asOf`.',
  })
  publishedAt: string | null;
}

@ObjectType({
  description:
    'A petition that reached its threshold and whose duty stood past PETITION_DUTY_DAYS undischarged, as of `asOf`.',
})
export class StandingPetitionDuty {
  @Field(() => ID) villageId: string;
  @Field(() => ID) petitionId: string;
  @Field(() => PetitionPurposeEnum) purpose: PetitionPurpose;
  @Field({ description: 'What the petitioners ask for, in their words.' }) subject: string;
  @Field(() => PetitionDutyEnum) duty: petition.Duty;
  @Field(() => RuleIdEnum, { description: 'The rule that puts the duty on the committee.' })
  ruleId: RuleId;
  @Field({ description: 'When the threshold was reached.' }) dueSince: string;
  @Field({ description: 'dueSince + PETITION_DUTY_DAYS.' }) dueBy: string;
}

@ObjectType({ description: 'C2: a correction order not lifted by a new passed resolution.' })
export class OpenCorrectionOrder {
  @Field(() => ID) villageId: string;
  @Field(() => ID) proposalId: string;
  @Field() title: string;
  @Field(() => ID) orderId: string;
  @Field() legalBasis: string;
  @Field() orderedAt: string;
}

@ObjectType({ description: 'The rule a flag of the overview rests on.' })
export class OverviewRule {
  @Field(() => OverviewFlagEnum) flag: OverviewFlag;
  @Field({ description: 'A rule-book id (P2, C2), or PRACTICE for a configured practice.' })
  ruleId: string;
  @Field(() => String, {
    nullable: true,
    description: 'The rule book the rule is in; null for a practice set in configuration.',
  })
  ruleBook: string | null;
  @Field() summary: string;
  @Field(() => Citation, { nullable: true }) citation: Citation | null;
  @Field(() => String, {
    nullable: true,
    description: 'PRACTICE: the setting, e.g. PETITION_DUTY_DAYS.',
  })
  setting: string | null;
  @Field(() => Int, { nullable: true, description: 'PRACTICE: its value in days.' })
  days: number | null;
}

@ObjectType({
  description:
    'A township’s villages over a period: meetings and resolutions in it, and what stands overdue as of `asOf`.',
})
export class TownshipOverview {
  @Field() township: string;
  @Field(() => Period) period: Period;
  @Field({
    description: 'The instant flags are judged at: the end of the period or now, the earlier.',
  })
  asOf: string;
  @Field(() => Int, { description: 'Villages of the township registered by `asOf`.' })
  villages: number;
  @Field(() => MeetingsHeld) meetings: MeetingsHeld;
  @Field(() => [ResolutionCount]) resolutions: ResolutionCount[];
  @Field(() => [OverduePublication]) overduePublications: OverduePublication[];
  @Field(() => [StandingPetitionDuty]) standingPetitionDuties: StandingPetitionDuty[];
  @Field(() => [OpenCorrectionOrder]) openCorrectionOrders: OpenCorrectionOrder[];
  @Field(() => [OverviewRule]) rules: OverviewRule[];
}
