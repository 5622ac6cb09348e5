import { Module } from '@nestjs/common';
import { PetitionCommands } from './commands/petition-commands';
import { PetitionsResolver } from './petitions.resolver';
import { PetitionQueries } from './read-model/petition.queries';

@Module({
  providers: [PetitionCommands, PetitionQueries, PetitionsResolver],
  exports: [PetitionQueries],
})
export class PetitionsModule {}
