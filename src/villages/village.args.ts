import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsBoolean, IsOptional, Length, Matches } from 'class-validator';

/** Village ids are the clerk's choice, e.g. the pinyin of the village: lowercase letters, digits, dashes. */
export const VILLAGE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Household ids as the household register writes them (the roll CSV's 户号): letters, digits, _ and -. */
export const HOUSEHOLD_ID = /^[\p{L}\p{N}_-]{1,32}$/u;

/** The longest roll CSV one request may carry: about 2,000 villagers, within the 100kb body limit. */
export const ROLL_CSV_MAX_LENGTH = 90_000;

@ArgsType()
export class VillageArgs {
  @Field(() => ID)
  @Matches(VILLAGE_ID, { message: 'villageId must be lowercase letters, digits and dashes' })
  villageId: string;
}

@ArgsType()
export class VillagesArgs {
  @Field(() => String, { nullable: true, description: 'Only the villages of this township.' })
  @IsOptional()
  @Length(1, 50)
  township?: string;
}

@ArgsType()
export class VillagerArgs {
  @Field(() => ID) @Length(1, 64) villagerId: string;
}

@ArgsType()
export class ImportRollArgs extends VillageArgs {
  @Field({
    description:
      'The household register as CSV (UTF-8): 户号, 姓名, 性别, 出生日期, 居住依据 and optionally 户名, or their English headings.',
  })
  @Length(1, ROLL_CSV_MAX_LENGTH)
  csv: string;
}

@ArgsType()
export class RollArgs {
  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Only the villagers on the roll now; false includes those removed from it.',
  })
  @IsBoolean()
  onRollOnly: boolean = true;
}
