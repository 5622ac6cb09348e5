import type { meeting } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * Meetings as rows: the meeting with its frozen roll, its agenda items, who is present, and every
 * ballot (a superseded one is kept, marked). Quorum and tally are not stored: the queries judge
 * them from these rows with the domain's own functions, so a view never disagrees with the rules.
 */
export const meetingProjector: Projector = {
  name: 'meetings',
  tables: ['meetings', 'meeting_items', 'attendance', 'ballots'],
  schema: `
    CREATE TABLE IF NOT EXISTS meetings (
      meeting_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, village_id TEXT NOT NULL,
      body TEXT NOT NULL, quorum_basis TEXT NOT NULL, scheduled_at TEXT NOT NULL,
      notice_at TEXT NOT NULL, convened_at TEXT NOT NULL, convened_by TEXT NOT NULL,
      notice_judgements TEXT NOT NULL, votes_may_change INTEGER NOT NULL,
      phase TEXT NOT NULL, opened_at TEXT, meeting_date TEXT, roll TEXT,
      roll_judgements TEXT, adjourned_at TEXT);
    CREATE INDEX IF NOT EXISTS meetings_by_village ON meetings (village_id, seq);
    CREATE TABLE IF NOT EXISTS meeting_items (
      meeting_id TEXT NOT NULL, item_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
      proposal_id TEXT NOT NULL, matter TEXT NOT NULL, title TEXT NOT NULL,
      voting TEXT, voting_opened_at TEXT, quorum_at_opening TEXT, voting_closed_at TEXT,
      decision TEXT, counted_ballot_ids TEXT,
      PRIMARY KEY (meeting_id, item_id));
    CREATE TABLE IF NOT EXISTS attendance (
      meeting_id TEXT NOT NULL, villager_id TEXT NOT NULL, channel TEXT NOT NULL,
      checked_in_at TEXT NOT NULL, left_at TEXT, present INTEGER NOT NULL,
      PRIMARY KEY (meeting_id, villager_id));
    CREATE TABLE IF NOT EXISTS ballots (
      ballot_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, meeting_id TEXT NOT NULL,
      item_id TEXT NOT NULL, villager_id TEXT NOT NULL, choice TEXT NOT NULL,
      channel TEXT NOT NULL, entered_by TEXT, cast_at TEXT NOT NULL,
      superseded INTEGER NOT NULL DEFAULT 0, countersigned_by TEXT);
    CREATE INDEX IF NOT EXISTS ballots_by_item ON ballots (meeting_id, item_id);
    CREATE INDEX IF NOT EXISTS ballots_by_villager ON ballots (villager_id, seq);`,
  apply(db: Database, stored: StoredEvent): void {
    if (!stored.stream.startsWith('meeting-')) return;
    const event = { type: stored.type, data: stored.data } as meeting.MeetingEvent;
    const seq = Number(stored.position);
    switch (event.type) {
      case 'MeetingConvened': {
        const d = event.data;
        prepared(
          db,
          `INSERT INTO meetings (meeting_id, seq, village_id, body, quorum_basis, scheduled_at,
             notice_at, convened_at, convened_by, notice_judgements, votes_may_change, phase)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CONVENED')`,
        ).run(
          d.meetingId,
          seq,
          d.villageId,
          d.body,
          d.quorumBasis,
          d.scheduledAt,
          d.noticeAt,
          d.at,
          JSON.stringify(d.convenedBy),
          JSON.stringify(d.judgements),
          d.votesMayChangeBeforeClose ? 1 : 0,
        );
        const item = prepared(
          db,
          `INSERT INTO meeting_items (meeting_id, item_id, ordinal, proposal_id, matter, title)
           VALUES (?, ?, ?, ?, ?, ?)`,
        );
        d.agenda.forEach((agendaItem, ordinal) => {
          item.run(
            d.meetingId,
            agendaItem.itemId,
            ordinal,
            agendaItem.proposalId,
            agendaItem.matter,
            agendaItem.title,
          );
        });
        return;
      }
      case 'MeetingOpened': {
        const { meetingId, meetingDate, members, representatives, households } = event.data;
        const { householdRepresentatives, judgements, at } = event.data;
        const roll = { members, representatives, households, householdRepresentatives };
        prepared(
          db,
          `UPDATE meetings SET phase = 'SITTING', opened_at = ?, meeting_date = ?, roll = ?,
             roll_judgements = ? WHERE meeting_id = ?`,
        ).run(at, meetingDate, JSON.stringify(roll), JSON.stringify(judgements), meetingId);
        return;
      }
      case 'MemberCheckedIn': {
        const { meetingId, villagerId, channel, at } = event.data;
        prepared(
          db,
          `INSERT INTO attendance (meeting_id, villager_id, channel, checked_in_at, present)
           VALUES (?, ?, ?, ?, 1)
           ON CONFLICT (meeting_id, villager_id) DO UPDATE SET
             channel = excluded.channel, checked_in_at = excluded.checked_in_at,
             left_at = NULL, present = 1`,
        ).run(meetingId, villagerId, channel, at);
        return;
      }
      case 'MemberLeft': {
        const { meetingId, villagerId, at } = event.data;
        prepared(
          db,
          'UPDATE attendance SET present = 0, left_at = ? WHERE meeting_id = ? AND villager_id = ?',
        ).run(at, meetingId, villagerId);
        return;
      }
      case 'VotingOpened': {
        const { meetingId, itemId, quorum, at } = event.data;
        prepared(
          db,
          `UPDATE meeting_items SET voting = 'OPEN', voting_opened_at = ?, quorum_at_opening = ?
           WHERE meeting_id = ? AND item_id = ?`,
        ).run(at, JSON.stringify(quorum), meetingId, itemId);
        return;
      }
      case 'BallotCast': {
        const d = event.data;
        if (d.supersedes !== undefined) {
          prepared(db, 'UPDATE ballots SET superseded = 1 WHERE ballot_id = ?').run(d.supersedes);
        }
        prepared(
          db,
          `INSERT INTO ballots (ballot_id, seq, meeting_id, item_id, villager_id, choice, channel,
             entered_by, cast_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.ballotId,
          seq,
          d.meetingId,
          d.itemId,
          d.villagerId,
          d.choice,
          d.channel,
          d.enteredBy ?? null,
          d.at,
        );
        return;
      }
      case 'PaperBallotsCountersigned': {
        const mark = prepared(db, 'UPDATE ballots SET countersigned_by = ? WHERE ballot_id = ?');
        for (const ballotId of event.data.ballotIds) mark.run(event.data.supervisorId, ballotId);
        return;
      }
      case 'VotingClosed': {
        const { meetingId, itemId, at } = event.data;
        prepared(
          db,
          `UPDATE meeting_items SET voting = 'CLOSED', voting_closed_at = ?
           WHERE meeting_id = ? AND item_id = ?`,
        ).run(at, meetingId, itemId);
        return;
      }
      case 'ItemDecided': {
        const { countedBallotIds, ...decision } = event.data;
        prepared(
          db,
          `UPDATE meeting_items SET decision = ?, counted_ballot_ids = ?
           WHERE meeting_id = ? AND item_id = ?`,
        ).run(
          JSON.stringify(decision),
          JSON.stringify(countedBallotIds),
          decision.meetingId,
          decision.itemId,
        );
        return;
      }
      case 'MeetingAdjourned': {
        const { meetingId, at } = event.data;
        prepared(
          db,
          `UPDATE meetings SET phase = 'ADJOURNED', adjourned_at = ? WHERE meeting_id = ?`,
        ).run(at, meetingId);
        return;
      }
    }
  },
};
