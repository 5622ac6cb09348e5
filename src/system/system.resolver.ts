import { Inject } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { version } from '../../package.json';
import { type AppConfig, EVENT_STORE_KINDS, type EventStoreKind } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

const EventStoreKindEnum = Object.fromEntries(
  EVENT_STORE_KINDS.map((kind) => [kind.toUpperCase(), kind]),
) as Record<Uppercase<EventStoreKind>, EventStoreKind>;
registerEnumType(EventStoreKindEnum, {
  name: 'EventStoreKind',
  description: 'The event store adapter, as the EVENT_STORE setting names it.',
});

@ObjectType({ description: 'What is serving this API.' })
class ServerInfo {
  @Field()
  name: string;

  @Field({ description: 'The package version of Cunyi.' })
  version: string;

  @Field(() => EventStoreKindEnum, { description: 'The event store adapter in use.' })
  eventStore: EventStoreKind;
}

@Resolver()
export class SystemResolver {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Query(() => ServerInfo, { description: 'The name and version of the server.' })
  server(): ServerInfo {
    return { name: 'cunyi', version, eventStore: this.config.eventStore };
  }
}
