import { Injectable, type OnModuleInit } from '@nestjs/common';
import { meetingOfStream } from '../common/streams';
import { LiveUpdates } from '../graphql/live-updates';
import type { Meeting } from './meeting.types';
import { MeetingQueries } from './read-model/meeting.queries';

const topic = (meetingId: string) => `meeting:${meetingId}`;

/** A meeting's view each time one of its events is applied: attendance, voting and tally. */
@Injectable()
export class MeetingFeed implements OnModuleInit {
  constructor(
    private readonly live: LiveUpdates,
    private readonly queries: MeetingQueries,
  ) {}

  onModuleInit(): void {
    this.live.route((event) => {
      const meetingId = meetingOfStream(event.stream);
      if (meetingId === undefined) return [];
      return [[topic(meetingId), () => this.queries.meeting(meetingId)]];
    });
  }

  meeting(meetingId: string): AsyncIterableIterator<Meeting> {
    return this.live.listen<Meeting>(topic(meetingId));
  }
}
