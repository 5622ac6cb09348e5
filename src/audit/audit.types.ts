import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../graphql/connection';

@ObjectType()
export class AuditActor {
  @Field() subject: string;
  @Field() role: string;
}

@ObjectType({ description: 'One stored event of the village, with who gave the command and why.' })
export class AuditEntry {
  @Field({ description: 'Store position (a decimal string).' }) position: string;
  @Field(() => ID) eventId: string;
  @Field() stream: string;
  @Field() revision: string;
  @Field() type: string;
  @Field({ description: 'When it happened, as the command said.' }) occurredAt: string;
  @Field({ description: 'When the store committed it.' }) recordedAt: string;
  @Field(() => AuditActor, { nullable: true }) actor: AuditActor | null;
  @Field(() => String, { nullable: true }) channel: string | null;
  @Field() correlationId: string;
  @Field(() => String, { nullable: true }) causationId: string | null;
  @Field({ description: 'The event’s data as JSON.' }) data: string;
}

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry');
