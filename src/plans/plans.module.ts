import { Module } from '@nestjs/common';
import { PlanCommands } from './commands/plan-commands';
import { PlansResolver } from './plans.resolver';
import { PlanQueries } from './read-model/plan.queries';

@Module({
  providers: [PlanCommands, PlanQueries, PlansResolver],
  exports: [PlanQueries],
})
export class PlansModule {}
