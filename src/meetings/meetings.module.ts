import { Module } from '@nestjs/common';
import { ProposalsModule } from '../proposals/proposals.module';
import { MeetingCommands } from './commands/meeting-commands';
import { MeetingFeed } from './meeting.feed';
import { AgendaItemResolver, MeetingsResolver } from './meetings.resolver';
import { MeetingQueries } from './read-model/meeting.queries';

@Module({
  imports: [ProposalsModule],
  providers: [MeetingCommands, MeetingQueries, MeetingFeed, MeetingsResolver, AgendaItemResolver],
  exports: [MeetingQueries],
})
export class MeetingsModule {}
