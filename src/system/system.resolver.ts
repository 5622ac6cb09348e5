import { Inject } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { version } from '../../package.json';
import { type AppConfig, EVENT_STORE_KINDS } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

@ObjectType({ description: 'What is serving this API.' })
class ServerInfo {
  @Field()
  name: string;

  @Field({ description: 'The package version of Cunyi.' })
  version: string;

  @Field({ description: `The event store adapter in use: ${EVENT_STORE_KINDS.join(', ')}.` })
  eventStore: string;
}

@Resolver()
export class SystemResolver {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Query(() => ServerInfo, { description: 'The name and version of the server.' })
  server(): ServerInfo {
    return { name: 'cunyi', version, eventStore: this.config.eventStore };
  }
}
