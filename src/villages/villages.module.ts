import { Module } from '@nestjs/common';
import { VillageCommands } from './commands/village-commands';
import { VillageQueries } from './read-model/village.queries';
import { VillageVisibility } from './village.visibility';
import { VillagerResolver, VillagesResolver } from './villages.resolver';

@Module({
  providers: [
    VillageCommands,
    VillageQueries,
    VillageVisibility,
    VillagesResolver,
    VillagerResolver,
  ],
  exports: [VillageQueries],
})
export class VillagesModule {}
