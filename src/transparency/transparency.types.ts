import type { SignedTreeHead as Head } from '@cunyi/transparency';
import { ArgsType, Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import type {
  ConsistencyProof as Consistency,
  InclusionProof as Inclusion,
} from './transparency-log';

/** GraphQL's Int is 32-bit: a log of 2^31 − 1 events is far beyond any township. */
const MAX_TREE_SIZE = 2_147_483_647;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

@ObjectType({
  description:
    'The log’s word on its size and root at an instant: RFC 6962 §3.5, Ed25519-signed. Keep it; any later head must be consistent with it.',
})
export class SignedTreeHead {
  @Field(() => Int) treeSize: number;
  @Field(() => Float, { description: 'Milliseconds since the Unix epoch, as signed.' })
  timestamp: number;
  @Field({ description: 'The timestamp as ISO-8601.' }) signedAt: string;
  @Field({ description: 'MTH of the first treeSize leaves, hex.' }) rootHash: string;
  @Field({ description: 'Ed25519 over the RFC 6962 TreeHeadSignature bytes, base64.' })
  signature: string;

  static of(head: Head): SignedTreeHead {
    return {
      treeSize: head.treeSize,
      timestamp: head.timestamp,
      signedAt: new Date(head.timestamp).toISOString(),
      rootHash: hex(head.rootHash),
      signature: head.signature.toString('base64'),
    };
  }
}

@ObjectType({ description: 'The key tree heads are signed with.' })
export class TreeHeadKey {
  @Field() algorithm: string;
  @Field({ description: 'SubjectPublicKeyInfo, PEM.' }) publicKeyPem: string;
  @Field({ description: 'RFC 6962 LogID: SHA-256 of the DER public key, hex.' }) keyId: string;
}

@ObjectType({
  description:
    'Proof that an event is in the log: keep it with your ballot. leafIndex and leafHash are null only while the log has not yet reached it; ask `receipt` again.',
})
export class Receipt {
  @Field(() => ID) eventId: string;
  @Field(() => Int, { nullable: true }) leafIndex: number | null;
  @Field(() => String, { nullable: true, description: 'SHA-256(0x00 ‖ canonical event), hex.' })
  leafHash: string | null;
}

@ObjectType({ description: 'RFC 6962 §2.1.1 audit path of one leaf in a tree of treeSize leaves.' })
export class InclusionProof {
  @Field(() => ID) eventId: string;
  @Field(() => Int) leafIndex: number;
  @Field() leafHash: string;
  @Field(() => Int) treeSize: number;
  @Field() rootHash: string;
  @Field(() => [String], { description: 'Hex hashes, leaf upwards.' }) auditPath: string[];

  static of(proof: Inclusion): InclusionProof {
    return {
      eventId: proof.leaf.eventId,
      leafIndex: proof.leaf.leafIndex,
      leafHash: hex(proof.leaf.hash),
      treeSize: proof.treeSize,
      rootHash: hex(proof.rootHash),
      auditPath: proof.auditPath.map(hex),
    };
  }
}

@ObjectType({ description: 'RFC 6962 §2.1.2: the tree of fromSize leaves is a prefix of toSize.' })
export class ConsistencyProof {
  @Field(() => Int) fromSize: number;
  @Field(() => Int) toSize: number;
  @Field() fromRoot: string;
  @Field() toRoot: string;
  @Field(() => [String]) proof: string[];

  static of(proof: Consistency): ConsistencyProof {
    return {
      fromSize: proof.fromSize,
      toSize: proof.toSize,
      fromRoot: hex(proof.fromRoot),
      toRoot: hex(proof.toRoot),
      proof: proof.proof.map(hex),
    };
  }
}

@ArgsType()
export class TreeHeadArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'The head signed at this size; without it, the latest.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TREE_SIZE)
  treeSize?: number;
}

@ArgsType()
export class InclusionProofArgs {
  @Field(() => ID, { nullable: true, description: 'The event, e.g. a receipt’s eventId…' })
  @IsOptional()
  @Length(1, 64)
  eventId?: string;
  @Field(() => Int, { nullable: true, description: '…or its leaf index: exactly one of them.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TREE_SIZE)
  leafIndex?: number;
  @Field(() => Int, { description: 'The size of a signed tree head you hold.' })
  @IsInt()
  @Min(1)
  @Max(MAX_TREE_SIZE)
  treeSize: number;
}

@ArgsType()
export class ConsistencyProofArgs {
  @Field(() => Int) @IsInt() @Min(1) @Max(MAX_TREE_SIZE) fromSize: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(MAX_TREE_SIZE) toSize: number;
}

@ArgsType()
export class ReceiptArgs {
  @Field(() => ID) @Length(1, 64) eventId: string;
}
