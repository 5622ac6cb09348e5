import { type Gender, type Matter, type VillagePractice, village } from '@cunyi/domain';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsOptional,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Role } from '../auth/actor';
import { ConnectionType } from '../graphql/connection';
import { GenderEnum, MatterEnum, RoleEnum } from '../graphql/enums';
import { Written } from '../graphql/types';
import { HOUSEHOLD_ID, VILLAGE_ID } from './village.args';

const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const ResidenceBasisEnum = asEnum(village.RESIDENCE_BASES);
export const RemovalReasonEnum = asEnum(village.REMOVAL_REASONS);
export const ComparisonEnum = asEnum(['GT', 'GTE'] as const);
registerEnumType(ResidenceBasisEnum, {
  name: 'ResidenceBasis',
  description: 'Why a villager is on the roll: 户籍, a year’s residence, or another ground.',
});
registerEnumType(RemovalReasonEnum, { name: 'RemovalReason' });
registerEnumType(ComparisonEnum, {
  name: 'Comparison',
  description: 'GT: more than (过半数). GTE: at least (以上).',
});

/** YYYY-MM-DD; the domain checks that it is a real calendar date. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

@ObjectType()
export class PracticeThreshold {
  @Field(() => Int) numerator: number;
  @Field(() => Int) denominator: number;
  @Field(() => ComparisonEnum) comparison: 'GT' | 'GTE';
}

@ObjectType({
  description: 'The practice values the village sets for itself (PRACTICE rules F1, F2; E4, P2).',
})
export class Practice {
  @Field(() => Int, { description: 'E4: absent voters one proxy may vote for.' }) proxyCap: number;
  @Field(() => Int, {
    description: 'P2: days within which a major matter’s resolution is published.',
  })
  majorMatterPublicationDays: number;
  @Field() votesMayChangeBeforeClose: boolean;
  @Field({ description: 'F1: steps 2 and 3 (商议, 审议) on record before a vote.' })
  fourDeliberationsRequired: boolean;
  @Field(() => PracticeThreshold, { description: 'F2: the Party members’ meeting attendance.' })
  partyMeetingAttendance: PracticeThreshold;
  @Field(() => PracticeThreshold, { description: 'F2: agreement of those attending.' })
  partyMeetingAgreement: PracticeThreshold;
}

@ObjectType({ description: 'The villagers’ assembly resolution an authorisation rests on (M2).' })
export class AuthorisingResolution {
  @Field(() => ID) meetingId: string;
  @Field() itemId: string;
  @Field() decidedAt: string;
}

@ObjectType({ description: 'M2: the representatives’ assembly may decide these M1 matters.' })
export class Authorisation {
  @Field(() => ID) id: string;
  @Field(() => [MatterEnum]) matters: Matter[];
  @Field(() => AuthorisingResolution) resolution: AuthorisingResolution;
  @Field(() => String, { nullable: true }) expiresAt: string | null;
  @Field() recordedAt: string;
  @Field(() => AuthorisingResolution, {
    nullable: true,
    description: 'The assembly resolution that revoked it.',
  })
  revokedBy: AuthorisingResolution | null;
  @Field(() => String, { nullable: true }) revokedAt: string | null;
}

/** A villager's personal data: only the villager and the officers of the village see it. */
export interface PersonalData {
  readonly name: string;
  readonly gender: Gender;
  readonly birthDate: string;
}

@ObjectType({
  description:
    'A villager on the roll (or removed from it). name, gender and birthDate are null unless the caller is the villager or an officer of the village.',
})
export class Villager {
  @Field(() => ID) id: string;
  @Field(() => ID) villageId: string;
  @Field() householdId: string;
  @Field(() => ResidenceBasisEnum) residenceBasis: village.ResidenceBasis;
  @Field({ description: 'YYYY-MM-DD: the day they went on the roll.' }) registeredOn: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: their first day off the roll.' })
  removedOn: string | null;
  /** Resolved fields name, gender, birthDate (villages.resolver.ts): never a @Field here. */
  personal: PersonalData;
}

export const VillagerConnection = ConnectionType(Villager, 'Villager');

@ObjectType({ description: 'A village: its profile, its roll and its offices.' })
export class Village {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() township: string;
  @Field() county: string;
  @Field() province: string;
  @Field() registeredAt: string;
  @Field(() => Practice) practice: Practice;
  @Field(() => Int, { description: 'Households registered.' }) householdCount: number;
  @Field(() => Int, { description: 'Villagers on the roll now.' }) rollSize: number;
  @Field(() => Int, { description: 'Representatives (村民代表) as last elected.' })
  representativeCount: number;
  @Field(() => [ID], { description: 'The committee (村民委员会) as last elected.' })
  committee: string[];
  @Field(() => [ID], { description: 'The supervision committee as last elected.' })
  supervisionCommittee: string[];
  @Field(() => [Authorisation], { description: 'M2 authorisations, oldest first.' })
  authorisations: Authorisation[];
}

export const VillageConnection = ConnectionType(Village, 'Village');

@ObjectType({ description: 'Who is asking, as their token says.' })
export class Me {
  @Field() subject: string;
  @Field(() => RoleEnum) role: Role;
  @Field(() => ID, { nullable: true }) villageId: string | null;
  @Field(() => String, { nullable: true }) township: string | null;
  @Field(() => Villager, {
    nullable: true,
    description: 'A villager’s or supervisor’s own record on the roll.',
  })
  villager: Villager | null;
}

@ObjectType()
export class VillagePayload extends Written {
  @Field(() => Village, { nullable: true }) village: Village | null;
}

@ObjectType()
export class VillagerPayload extends Written {
  @Field(() => Villager, { nullable: true }) villager: Villager | null;
}

@ObjectType()
export class RollImportPayload extends VillagePayload {
  @Field(() => Int, { description: 'Households newly registered.' }) households: number;
  @Field(() => Int, { description: 'Villagers registered.' }) villagers: number;
}

@InputType()
export class RegisterVillageInput {
  @Field(() => ID, { description: 'Chosen by the clerk: lowercase letters, digits and dashes.' })
  @Matches(VILLAGE_ID, { message: 'villageId must be lowercase letters, digits and dashes' })
  villageId: string;
  @Field() @Length(1, 50) name: string;
  @Field() @Length(1, 50) township: string;
  @Field() @Length(1, 50) county: string;
  @Field() @Length(1, 50) province: string;
}

@InputType()
export class ThresholdInput {
  @Field(() => Int) @Min(1) @Max(1000) numerator: number;
  @Field(() => Int) @Min(1) @Max(1000) denominator: number;
  @Field(() => ComparisonEnum) @IsIn(Object.values(ComparisonEnum)) comparison: 'GT' | 'GTE';
}

@InputType({ description: 'Only the values given change; the rest stay as they are.' })
export class SetPracticeInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(100) proxyCap?: number;
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(366)
  majorMatterPublicationDays?: number;
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  votesMayChangeBeforeClose?: boolean;
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  fourDeliberationsRequired?: boolean;
  @Field(() => ThresholdInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdInput)
  partyMeetingAttendance?: ThresholdInput;
  @Field(() => ThresholdInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ThresholdInput)
  partyMeetingAgreement?: ThresholdInput;
}

type Changes = { -readonly [K in keyof VillagePractice]?: VillagePractice[K] };

/** The practice values a SetPracticeInput changes: those it gives. */
export function practiceChangesOf(input: SetPracticeInput): Partial<VillagePractice> {
  const changes: Changes = {};
  if (input.proxyCap != null) changes.proxyCap = input.proxyCap;
  if (input.majorMatterPublicationDays != null) {
    changes.majorMatterPublicationDays = input.majorMatterPublicationDays;
  }
  if (input.votesMayChangeBeforeClose != null) {
    changes.votesMayChangeBeforeClose = input.votesMayChangeBeforeClose;
  }
  if (input.fourDeliberationsRequired != null) {
    changes.fourDeliberationsRequired = input.fourDeliberationsRequired;
  }
  const threshold = ({ numerator, denominator, comparison }: ThresholdInput) => ({
    numerator,
    denominator,
    comparison,
  });
  if (input.partyMeetingAttendance != null) {
    changes.partyMeetingAttendance = threshold(input.partyMeetingAttendance);
  }
  if (input.partyMeetingAgreement != null) {
    changes.partyMeetingAgreement = threshold(input.partyMeetingAgreement);
  }
  return changes;
}

@InputType()
export class RegisterHouseholdInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field({ description: '户号, as the household register writes it.' })
  @Matches(HOUSEHOLD_ID, { message: 'householdId may hold only letters, digits, _ and -' })
  householdId: string;
  @Field({ description: '户名.' }) @Length(1, 50) name: string;
}

@InputType()
export class RegisterVillagerInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field() @Matches(HOUSEHOLD_ID) householdId: string;
  @Field() @Length(1, 50) name: string;
  @Field(() => GenderEnum) @IsIn(Object.values(GenderEnum)) gender: Gender;
  @Field({ description: 'YYYY-MM-DD.' }) @Matches(DATE) birthDate: string;
  @Field(() => ResidenceBasisEnum)
  @IsIn(village.RESIDENCE_BASES)
  residenceBasis: village.ResidenceBasis;
}

@InputType()
export class RemoveVillagerInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => ID) @Length(1, 64) villagerId: string;
  @Field(() => RemovalReasonEnum) @IsIn(village.REMOVAL_REASONS) reason: village.RemovalReason;
  @Field({ description: 'YYYY-MM-DD: their first day off the roll; not in the future.' })
  @Matches(DATE)
  effectiveDate: string;
}

@InputType()
export class DesignateHouseholdRepresentativeInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field() @Matches(HOUSEHOLD_ID) householdId: string;
  @Field(() => ID) @Length(1, 64) villagerId: string;
}

@InputType({ description: 'The whole new set of members: it replaces the previous one.' })
export class ElectionInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => [ID])
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Length(1, 64, { each: true })
  memberIds: string[];
}

@InputType({
  description:
    'The resolution is not given by the client: it is read from the meeting’s record of the item.',
})
export class AuthorisationResolutionInput {
  @Field(() => ID) @Matches(VILLAGE_ID) villageId: string;
  @Field(() => ID, { description: 'The villagers’ assembly that resolved it (M2).' })
  @IsUUID()
  meetingId: string;
  @Field() @Length(1, 64) itemId: string;
}

@InputType({
  description:
    'M2: the matters and the expiry are not given by the client either: they are what the AUTHORISATION proposal behind the resolution put to the vote.',
})
export class RecordAuthorisationInput extends AuthorisationResolutionInput {}

@InputType()
export class RevokeAuthorisationInput extends AuthorisationResolutionInput {
  @Field(() => ID) @Length(1, 64) authorisationId: string;
}
