import { Module } from '@nestjs/common';
import { ProposalCommands } from './commands/proposal-commands';
import { MeetingFollowOns } from './follow-ons/meeting-follow-ons';
import { MeetingOutcomes } from './follow-ons/meeting-outcomes.reactor';
import { DecisionFeed } from './proposal.feed';
import { ProposalsResolver } from './proposals.resolver';
import { ProposalQueries } from './read-model/proposal.queries';

@Module({
  providers: [
    ProposalCommands,
    ProposalQueries,
    DecisionFeed,
    ProposalsResolver,
    MeetingFollowOns,
    MeetingOutcomes,
  ],
  exports: [MeetingFollowOns],
})
export class ProposalsModule {}
