import { Module } from '@nestjs/common';
import { ProposalCommands } from './commands/proposal-commands';
import { DecisionFeed } from './proposal.feed';
import { ProposalsResolver } from './proposals.resolver';
import { ProposalQueries } from './read-model/proposal.queries';

@Module({ providers: [ProposalCommands, ProposalQueries, DecisionFeed, ProposalsResolver] })
export class ProposalsModule {}
