import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { EventStoreModule } from './store/event-store.module';
import { SystemResolver } from './system/system.resolver';

/** The composition root. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CqrsModule.forRoot(),
        EventStoreModule,
        HealthModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          // Built in memory: the committed schema.gql is written by `npm run schema`, never at
          // start-up (the production image's files are read-only).
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
        }),
      ],
      providers: [SystemResolver],
    };
  }
}
