import { meeting as domain, type ItemDecision, type Judgement } from '@cunyi/domain';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { meetingOfStream } from '../../common/streams';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { judgementView, quorumView } from '../../graphql/types';
import { Projections } from '../../read-model/projections';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { AgendaItem, Ballot, Meeting } from '../meeting.types';

interface MeetingRow {
  meeting_id: string;
  seq: number;
  village_id: string;
  body: domain.Meeting['body'];
  quorum_basis: domain.Meeting['quorumBasis'];
  scheduled_at: string;
  notice_at: string;
  convened_at: string;
  notice_judgements: string;
  phase: Meeting['phase'];
  opened_at: string | null;
  meeting_date: string | null;
  roll: string | null;
  roll_judgements: string | null;
  adjourned_at: string | null;
}

interface ItemRow {
  meeting_id: string;
  item_id: string;
  proposal_id: string;
  matter: AgendaItem['matter'];
  title: string;
  voting: 'OPEN' | 'CLOSED' | null;
  quorum_at_opening: string | null;
  decision: string | null;
  counted_ballot_ids: string | null;
}

interface BallotRow {
  ballot_id: string;
  seq: number;
  meeting_id: string;
  item_id: string;
  villager_id: string;
  choice: Ballot['choice'];
  channel: Ballot['channel'];
  cast_at: string;
  superseded: number;
  countersigned_by: string | null;
}

interface FrozenRollJson {
  members: string[];
  representatives: string[];
  households: string[];
  householdRepresentatives: Record<string, string>;
}

/** Meeting views kept, most recently asked last: an election day's meetings, with room to spare. */
export const MEETING_VIEWS_KEPT = 1_000;

/**
 * Meetings from the read model. Quorum and the live tally are judged here from the rows with the
 * domain's judgeQuorum and tallyOf, on the roll frozen at opening — never recomputed any other way.
 *
 * A meeting's view is judged again only once one of its own events has been applied since: every
 * row it reads comes from the meeting's stream, and this process alone writes the read model.
 * On an election day the villagers of a village all look at the same meeting.
 */
@Injectable()
export class MeetingQueries implements OnModuleDestroy {
  private readonly views = new Map<string, Meeting>();
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(READ_DATABASE) private readonly db: Database,
    projections: Projections,
  ) {
    this.unsubscribe = projections.onApplied((event) => {
      const meetingId = meetingOfStream(event.stream);
      if (meetingId !== undefined) this.views.delete(meetingId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  villageOf(meetingId: string): string | undefined {
    const row = prepared(this.db, 'SELECT village_id FROM meetings WHERE meeting_id = ?').get(
      meetingId,
    ) as { village_id: string } | undefined;
    return row?.village_id;
  }

  meeting(meetingId: string): Meeting | undefined {
    const kept = this.views.get(meetingId);
    if (kept !== undefined) {
      this.views.delete(meetingId);
      this.views.set(meetingId, kept);
      return kept;
    }
    const row = prepared(this.db, 'SELECT * FROM meetings WHERE meeting_id = ?').get(meetingId) as
      | MeetingRow
      | undefined;
    if (row === undefined) return undefined;
    const view = this.view(row);
    this.views.set(meetingId, view);
    if (this.views.size > MEETING_VIEWS_KEPT) {
      this.views.delete(this.views.keys().next().value as string);
    }
    return view;
  }

  meetingsOf(villageId: string, args: PageArgs): Connection<Meeting> {
    const rows = prepared(
      this.db,
      'SELECT * FROM meetings WHERE village_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(villageId, afterSeq(args.after), args.first + 1) as MeetingRow[];
    const { total } = prepared(
      this.db,
      'SELECT count(*) AS total FROM meetings WHERE village_id = ?',
    ).get(villageId) as { total: number };
    return connectionOf(rows, args, total, (row) => this.view(row));
  }

  ballotsOfItem(meetingId: string, itemId: string): Ballot[] {
    const rows = prepared(
      this.db,
      'SELECT * FROM ballots WHERE meeting_id = ? AND item_id = ? ORDER BY seq',
    ).all(meetingId, itemId) as BallotRow[];
    return rows.map((row) => this.ballotView(row));
  }

  ballotsOfVillager(villagerId: string, args: PageArgs): Connection<Ballot> {
    const rows = prepared(
      this.db,
      'SELECT * FROM ballots WHERE villager_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(villagerId, afterSeq(args.after), args.first + 1) as BallotRow[];
    const { total } = prepared(
      this.db,
      'SELECT count(*) AS total FROM ballots WHERE villager_id = ?',
    ).get(villagerId) as { total: number };
    return connectionOf(rows, args, total, (row) => this.ballotView(row));
  }

  ballot(ballotId: string): Ballot | undefined {
    const row = prepared(this.db, 'SELECT * FROM ballots WHERE ballot_id = ?').get(ballotId) as
      | BallotRow
      | undefined;
    return row === undefined ? undefined : this.ballotView(row);
  }

  private ballotView(row: BallotRow): Ballot {
    const item = prepared(
      this.db,
      'SELECT counted_ballot_ids FROM meeting_items WHERE meeting_id = ? AND item_id = ?',
    ).get(row.meeting_id, row.item_id) as { counted_ballot_ids: string | null } | undefined;
    const counted =
      item?.counted_ballot_ids == null
        ? null
        : (JSON.parse(item.counted_ballot_ids) as string[]).includes(row.ballot_id);
    return {
      ballotId: row.ballot_id,
      meetingId: row.meeting_id,
      itemId: row.item_id,
      villagerId: row.villager_id,
      choice: row.choice,
      channel: row.channel,
      castAt: row.cast_at,
      superseded: row.superseded === 1,
      countersignedBy: row.countersigned_by,
      counted,
    };
  }

  private view(row: MeetingRow): Meeting {
    const present = new Set(
      (
        prepared(
          this.db,
          'SELECT villager_id FROM attendance WHERE meeting_id = ? AND present = 1',
        ).all(row.meeting_id) as { villager_id: string }[]
      ).map((a) => a.villager_id),
    );
    const counts = prepared(
      this.db,
      `SELECT sum(present AND channel = 'ONLINE') AS online,
                sum(present AND channel = 'IN_PERSON') AS inPerson,
                sum(NOT present) AS left FROM attendance WHERE meeting_id = ?`,
    ).get(row.meeting_id) as {
      online: number | null;
      inPerson: number | null;
      left: number | null;
    };
    const json = row.roll === null ? undefined : (JSON.parse(row.roll) as FrozenRollJson);
    const roll: domain.FrozenRoll | undefined =
      json === undefined || row.meeting_date === null
        ? undefined
        : {
            meetingDate: row.meeting_date,
            members: new Set(json.members),
            representatives: new Set(json.representatives),
            households: json.households,
            householdRepresentatives: json.householdRepresentatives,
          };
    const meetingShape = { body: row.body, quorumBasis: row.quorum_basis };
    const items = prepared(
      this.db,
      'SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY ordinal',
    ).all(row.meeting_id) as ItemRow[];
    return {
      id: row.meeting_id,
      villageId: row.village_id,
      body: row.body,
      quorumBasis: row.quorum_basis,
      phase: row.phase,
      pathStep: 4,
      scheduledAt: row.scheduled_at,
      noticeAt: row.notice_at,
      convenedAt: row.convened_at,
      notice: (JSON.parse(row.notice_judgements) as Judgement[]).map(judgementView),
      openedAt: row.opened_at,
      meetingDate: row.meeting_date,
      rollSize: json?.members.length ?? null,
      households: json === undefined ? null : json.households.length,
      composition: (
        (row.roll_judgements === null ? [] : JSON.parse(row.roll_judgements)) as Judgement[]
      ).map(judgementView),
      attendance: {
        present: present.size,
        online: counts.online ?? 0,
        inPerson: counts.inPerson ?? 0,
        left: counts.left ?? 0,
      },
      quorum:
        roll === undefined ? null : quorumView(domain.judgeQuorum(meetingShape, roll, present)),
      items: items.map((item) => this.itemView(row, item, present)),
      adjournedAt: row.adjourned_at,
    };
  }

  private itemView(meeting: MeetingRow, row: ItemRow, present: ReadonlySet<string>): AgendaItem {
    const decision = row.decision === null ? undefined : (JSON.parse(row.decision) as ItemDecision);
    const base = {
      itemId: row.item_id,
      proposalId: row.proposal_id,
      matter: row.matter,
      title: row.title,
      meetingId: meeting.meeting_id,
      villageId: meeting.village_id,
      voting: row.voting ?? ('NOT_OPENED' as const),
      quorumAtOpening:
        row.quorum_at_opening === null
          ? null
          : quorumView(JSON.parse(row.quorum_at_opening) as Judgement),
    };
    if (decision !== undefined) {
      return {
        ...base,
        tally: decision.tally,
        outcome: decision.outcome,
        judgements: decision.judgements.map(judgementView),
        rules: [...decision.rules],
        ruleBook: decision.ruleBook,
        decidedAt: decision.decidedAt,
      };
    }
    const tally =
      row.voting === null ? null : this.liveTally(meeting.meeting_id, row.item_id, present);
    return {
      ...base,
      tally,
      outcome: null,
      judgements: [],
      rules: [],
      ruleBook: null,
      decidedAt: null,
    };
  }

  /** Counted as closing now would count it: present members plus those who voted and left. */
  private liveTally(meetingId: string, itemId: string, present: ReadonlySet<string>) {
    const ballots = new Map(
      (
        prepared(
          this.db,
          'SELECT * FROM ballots WHERE meeting_id = ? AND item_id = ? AND superseded = 0',
        ).all(meetingId, itemId) as BallotRow[]
      ).map((b): [string, domain.Ballot] => [
        b.villager_id,
        {
          ballotId: b.ballot_id,
          villagerId: b.villager_id,
          choice: b.choice,
          channel: b.channel,
          countersigned: b.countersigned_by !== null,
        },
      ]),
    );
    const item: domain.ItemVoting = { status: 'OPEN', ballots };
    return domain.tallyOf(item, domain.attendingAtClose(present, item).size);
  }
}
