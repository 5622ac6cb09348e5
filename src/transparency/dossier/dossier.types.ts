import { RULES } from '@cunyi/domain';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Length } from 'class-validator';
import { Rule, ruleView } from '../../graphql/types';
import { InclusionProof, SignedTreeHead, TreeHeadKey } from '../transparency.types';
import { DOSSIER_SECTIONS, type Dossier, type DossierSection } from './dossier';

export const DossierSectionEnum = Object.fromEntries(DOSSIER_SECTIONS.map((s) => [s, s])) as {
  [K in DossierSection]: K;
};
registerEnumType(DossierSectionEnum, {
  name: 'DossierSection',
  description: 'Which part of the decision’s path an event is, in the order of 四议两公开.',
});

@ObjectType({ description: 'One event of a decision’s trail, with its proof of being logged.' })
export class DossierItem {
  @Field(() => DossierSectionEnum) section: DossierSection;
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field() stream: string;
  @Field({ description: 'Revision in its stream, a decimal string.' }) revision: string;
  @Field() recordedAt: string;
  @Field({
    description:
      'The log leaf’s input (RFC 8785 JSON of stream, revision, id, type, data, metadata): SHA-256(0x00 ‖ its UTF-8) is proof.leafHash.',
  })
  canonicalEvent: string;
  @Field(() => String, {
    nullable: true,
    description: 'ROLL: SHA-256 of the roll frozen at opening, hex.',
  })
  rollDigest: string | null;
  @Field(() => InclusionProof) proof: InclusionProof;
}

@ObjectType({
  description:
    'A decision’s whole trail, each event proved against one signed tree head: verifiable by anyone holding the public key.',
})
export class DecisionDossier {
  @Field(() => ID) proposalId: string;
  @Field(() => ID) villageId: string;
  @Field() title: string;
  @Field() matter: string;
  @Field(() => [String]) ruleBooks: string[];
  @Field(() => [Rule], { description: 'Every rule the trail was judged under, with its citation.' })
  rules: Rule[];
  @Field(() => SignedTreeHead) treeHead: SignedTreeHead;
  @Field(() => TreeHeadKey) treeHeadKey: TreeHeadKey;
  @Field(() => [DossierItem]) items: DossierItem[];

  static of(dossier: Dossier, key: TreeHeadKey): DecisionDossier {
    return {
      proposalId: dossier.proposalId,
      villageId: dossier.villageId,
      title: dossier.title,
      matter: dossier.matter,
      ruleBooks: [...dossier.ruleBooks],
      rules: dossier.rules.map((id) => ruleView(RULES[id])),
      treeHead: SignedTreeHead.of(dossier.treeHead),
      treeHeadKey: key,
      items: dossier.items.map((item) => ({
        section: item.section,
        eventId: item.event.id,
        type: item.event.type,
        stream: item.event.stream,
        revision: item.event.revision.toString(),
        recordedAt: item.event.recordedAt,
        canonicalEvent: item.canonicalEvent,
        rollDigest: item.rollDigest ?? null,
        proof: InclusionProof.of(item.proof),
      })),
    };
  }
}

@ArgsType()
export class DossierArgs {
  @Field(() => ID) @Length(1, 64) proposalId: string;
}
