import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from './audit/audit.module';
import { AuthModule, TOKEN_SERVICE } from './auth/auth.module';
import { RolesGuard } from './auth/roles.guard';
import type { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import type { AppConfig } from './config/config';
import { APP_CONFIG, ConfigModule } from './config/config.module';
import { graphqlOptions } from './graphql/graphql-options';
import { MutationThrottlerGuard, throttlerOptionsFor } from './graphql/mutation-throttler.guard';
import { validationPipe } from './graphql/validation';
import { HealthModule } from './health/health.module';
import { MeetingsModule } from './meetings/meetings.module';
import { PetitionsModule } from './petitions/petitions.module';
import { PlansModule } from './plans/plans.module';
import { ProposalsModule } from './proposals/proposals.module';
import { ReadModelModule } from './read-model/read-model.module';
import { RuleBookResolver } from './rule-book/rule-book.resolver';
import { EventStoreModule } from './store/event-store.module';
import { SystemResolver } from './system/system.resolver';
import { TransparencyModule } from './transparency/transparency.module';
import { VillagesModule } from './villages/villages.module';

export interface AppOptions {
  /** Tests pass a clock they can move: a meeting opens ten days after its notice (A2). */
  readonly clock?: Clock;
}

/** The composition root. */
@Module({})
export class AppModule {
  static forRoot(config?: AppConfig, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        EventStoreModule,
        ReadModelModule,
        AuthModule,
        HealthModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (appConfig: AppConfig) => throttlerOptionsFor(appConfig),
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APP_CONFIG, TOKEN_SERVICE],
          useFactory: graphqlOptions,
        }),
        MeetingsModule,
        VillagesModule,
        PetitionsModule,
        PlansModule,
        AuditModule,
        TransparencyModule.forRoot({ follow: true }),
        ProposalsModule,
      ],
      providers: [
        SystemResolver,
        RuleBookResolver,
        // Every mutation attempt counts against the caller's budget, refused ones included.
        { provide: APP_GUARD, useClass: MutationThrottlerGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_PIPE, useValue: validationPipe },
      ],
    };
  }
}
