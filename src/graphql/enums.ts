import { MATTERS, RULE_IDS } from '@cunyi/domain';
import { registerEnumType } from '@nestjs/graphql';
import { ROLES } from '../auth/actor';

/** The domain's closed vocabularies as GraphQL enums: values are the domain's own words. */
const asEnum = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const RoleEnum = asEnum(ROLES);
export const MatterEnum = asEnum(MATTERS);
export const RuleIdEnum = asEnum(RULE_IDS);
export const BodyEnum = asEnum(['VILLAGERS_ASSEMBLY', 'REPRESENTATIVES_ASSEMBLY'] as const);
export const QuorumBasisEnum = asEnum(['MEMBERS', 'HOUSEHOLDS'] as const);
export const ChoiceEnum = asEnum(['FOR', 'AGAINST', 'ABSTAIN'] as const);
export const ChannelEnum = asEnum(['ONLINE', 'PAPER', 'IN_PERSON'] as const);
export const OutcomeEnum = asEnum(['PASSED', 'FAILED', 'QUORUM_LOST'] as const);
export const GenderEnum = asEnum(['FEMALE', 'MALE'] as const);

registerEnumType(RoleEnum, { name: 'Role' });
registerEnumType(MatterEnum, {
  name: 'Matter',
  description: 'What a proposal is about; M1 matters need an assembly decision, M3 a larger one.',
});
registerEnumType(RuleIdEnum, { name: 'RuleId', description: 'A rule of the rule book.' });
registerEnumType(BodyEnum, {
  name: 'Body',
  description: "村民会议 (villagers' assembly) or 村民代表会议 (representatives' assembly).",
});
registerEnumType(QuorumBasisEnum, { name: 'QuorumBasis' });
registerEnumType(ChoiceEnum, { name: 'Choice' });
registerEnumType(ChannelEnum, { name: 'Channel' });
registerEnumType(OutcomeEnum, { name: 'Outcome' });
registerEnumType(GenderEnum, { name: 'Gender' });
