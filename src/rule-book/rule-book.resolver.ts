import { RULE_BOOK_VERSION, RULE_IDS, RULES } from '@cunyi/domain';
import { Query, Resolver } from '@nestjs/graphql';
import { RuleBook, ruleView } from '../graphql/types';

/** The rules Cunyi enforces, with their thresholds and the law's own words. */
@Resolver(() => RuleBook)
export class RuleBookResolver {
  @Query(() => RuleBook, {
    description: 'The rule book decisions are judged under: every rule, threshold and citation.',
  })
  ruleBook(): RuleBook {
    return { version: RULE_BOOK_VERSION, rules: RULE_IDS.map((id) => ruleView(RULES[id])) };
  }
}
