import type { Judgement as DomainJudgement, Rule as DomainRule, RuleId } from '@cunyi/domain';
import { RULES } from '@cunyi/domain';
import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { RuleIdEnum } from './enums';

@ObjectType({ description: 'Where a rule comes from, in the source’s own words.' })
export class Citation {
  @Field() law: string;
  @Field() article: string;
  @Field({ description: 'The original Chinese text.' }) text: string;
  @Field() gloss: string;
}

@ObjectType({
  description: 'What a rule found: met or not, the count, and the smallest count that meets it.',
})
export class Judgement {
  @Field(() => RuleIdEnum) ruleId: RuleId;
  @Field() met: boolean;
  // Float, not Int: the notice rules (A2, M4) count milliseconds, and ten days of them is past
  // GraphQL's 32-bit Int. Every value is a whole number, exact in a double up to 2^53.
  @Field(() => Float, { description: 'Counts of people; milliseconds for A2 and M4.' })
  actual: number;
  @Field(() => Float) required: number;
  @Field(() => Float) of: number;
  @Field(() => Citation) citation: Citation;
}

export const judgementView = (judgement: DomainJudgement): Judgement => ({
  ...judgement,
  citation: RULES[judgement.ruleId].citation,
});

@ObjectType({ description: 'A3 or R4 as it stands: enough members present to decide?' })
export class Quorum {
  @Field(() => Int) required: number;
  @Field(() => Int) present: number;
  @Field(() => Int, {
    description: 'Members (or households, on the household basis) it is counted of.',
  })
  of: number;
  @Field() reached: boolean;
  @Field(() => RuleIdEnum) ruleId: RuleId;
  @Field(() => Citation) citation: Citation;
}

export const quorumView = (judgement: DomainJudgement): Quorum => ({
  required: judgement.required,
  present: judgement.actual,
  of: judgement.of,
  reached: judgement.met,
  ruleId: judgement.ruleId,
  citation: RULES[judgement.ruleId].citation,
});

@ObjectType({
  description: 'FOR + AGAINST + ABSTAIN + notVoting = attending (A4: not voting counts against).',
})
export class Tally {
  @Field(() => Int) for: number;
  @Field(() => Int) against: number;
  @Field(() => Int) abstain: number;
  @Field(() => Int) notVoting: number;
  @Field(() => Int) attending: number;
}

@ObjectType()
export class Threshold {
  @Field() name: string;
  @Field(() => Int) numerator: number;
  @Field(() => Int) denominator: number;
  @Field({ description: 'GT: more than (过半数); GTE: at least (以上).' }) comparison: string;
}

@ObjectType()
export class Rule {
  @Field(() => RuleIdEnum) id: RuleId;
  @Field({ description: 'LAW or PRACTICE (configurable per village).' }) kind: string;
  @Field() summary: string;
  @Field(() => [Threshold]) thresholds: Threshold[];
  @Field(() => Citation) citation: Citation;
}

export const ruleView = (rule: DomainRule): Rule => ({
  id: rule.id,
  kind: rule.kind,
  summary: rule.summary,
  thresholds: Object.entries(rule.thresholds).map(([name, threshold]) => ({ name, ...threshold })),
  citation: rule.citation,
});

@ObjectType()
export class RuleBook {
  @Field() version: string;
  @Field(() => [Rule]) rules: Rule[];
}

@ObjectType({ description: 'Relay page info.' })
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

@ObjectType({ description: 'What a mutation appended, and whether the answer already shows it.' })
export class Written {
  @Field({
    description: 'Store position of the last event appended (a decimal string): a checkpoint.',
  })
  position: string;
  @Field({
    description:
      'True when the read model had reached that position before answering (read-your-writes); false when the bounded wait ran out.',
  })
  caughtUp: boolean;
}
