import { Global, Module } from '@nestjs/common';
import { LiveUpdates } from '../graphql/live-updates';
import { Aggregates } from './aggregates';
import { CLOCK, type Clock, systemClock } from './clock';

@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = systemClock) {
    return {
      module: CommonModule,
      providers: [{ provide: CLOCK, useValue: clock }, Aggregates, LiveUpdates],
      exports: [CLOCK, Aggregates, LiveUpdates],
    };
  }
}
