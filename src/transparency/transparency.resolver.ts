import { EVENT_STORE, type EventStore } from '@cunyi/event-store';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { badUserInput } from '../common/errors';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { GraphQLContext } from '../graphql/context';
import type { Projections } from '../read-model/projections';
import { buildDossier } from './dossier/dossier';
import { DecisionDossier, DossierArgs } from './dossier/dossier.types';
import { LOG_PROJECTIONS } from './log-projections';
import { Receipts } from './receipts';
import type { SigningKey } from './signing-key';
import { SIGNING_KEY_TOKEN } from './signing-key';
import {
  ConsistencyProof,
  ConsistencyProofArgs,
  InclusionProof,
  InclusionProofArgs,
  Receipt,
  ReceiptArgs,
  SignedTreeHead,
  TreeHeadArgs,
  TreeHeadKey,
} from './transparency.types';
import { TransparencyLog } from './transparency-log';
import { TreeHeads } from './tree-heads';

/** The log for anyone holding it to its word: heads, the key, and proofs between them. */
@Resolver()
export class TransparencyResolver {
  constructor(
    private readonly log: TransparencyLog,
    private readonly heads: TreeHeads,
    private readonly receipts: Receipts,
    @Inject(SIGNING_KEY_TOKEN) private readonly key: SigningKey,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOG_PROJECTIONS) private readonly projections: Projections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scope: Scope,
  ) {}

  @Query(() => SignedTreeHead, {
    nullable: true,
    description: 'The latest signed tree head, or the one signed at treeSize; null if none.',
  })
  signedTreeHead(@Args() { treeSize }: TreeHeadArgs) {
    const head = treeSize === undefined ? this.heads.latest() : this.heads.atSize(treeSize);
    return head ? SignedTreeHead.of(head) : null;
  }

  @Query(() => TreeHeadKey, { description: 'The public key that signs tree heads.' })
  treeHeadKey(): TreeHeadKey {
    return {
      algorithm: 'Ed25519',
      publicKeyPem: this.key.publicKeyPem,
      keyId: this.key.keyId.toString('hex'),
    };
  }

  @Query(() => InclusionProof, {
    description: 'That an event (by eventId or leafIndex) is in the tree of treeSize leaves.',
  })
  inclusionProof(@Args() { eventId, leafIndex, treeSize }: InclusionProofArgs) {
    if ((eventId === undefined) === (leafIndex === undefined)) {
      throw badUserInput('eventId', 'give exactly one of eventId and leafIndex');
    }
    return InclusionProof.of(
      this.log.inclusion(this.log.requireLeaf({ eventId, leafIndex }), treeSize),
    );
  }

  @Query(() => ConsistencyProof, {
    description: 'That the tree of fromSize leaves is the start of the tree of toSize leaves.',
  })
  consistencyProof(@Args() { fromSize, toSize }: ConsistencyProofArgs) {
    return ConsistencyProof.of(this.log.consistency(fromSize, toSize));
  }

  @Query(() => Receipt, { description: 'Where an event sits in the log.' })
  receipt(@Args() { eventId }: ReceiptArgs): Receipt {
    this.log.requireLeaf({ eventId });
    return this.receipts.of(eventId);
  }

  @Query(() => DecisionDossier, {
    description: 'A decision’s whole trail, each event with its inclusion proof: for auditors.',
  })
  async decisionDossier(
    @Args() { proposalId }: DossierArgs,
    @Context() context: GraphQLContext,
  ): Promise<DecisionDossier> {
    const dossier = await buildDossier(
      {
        store: this.store,
        log: this.log,
        heads: this.heads,
        logged: (position) =>
          this.projections.waitFor(position, this.config.readYourWritesTimeoutMs),
        admit: (villageId) => this.scope.require(context.actor as Actor, villageId),
      },
      proposalId,
    );
    return DecisionDossier.of(dossier, this.treeHeadKey());
  }

  @Mutation(() => SignedTreeHead, {
    description: 'Signs the log as it stands now (or returns the latest head if it has not grown).',
  })
  signTreeHead() {
    return SignedTreeHead.of(this.heads.sign());
  }
}
