import {
  addDays,
  type ItemDecision,
  type Judgement,
  meeting,
  type PetitionPurpose,
  type petition,
  type proposal,
  RULE_BOOK_VERSION,
  RULES,
  type RuleId,
  type VillagePractice,
} from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { CLOCK, type Clock } from '../../common/clock';
import { streams } from '../../common/streams';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import {
  openCorrectionOrders,
  overduePublications,
  type ProposalHistory,
  resolutionCounts,
} from './overview-flags';
import type {
  MeetingsHeld,
  OverviewRule,
  StandingPetitionDuty,
  TownshipOverview,
} from './township-overview.types';

interface MeetingRow {
  meeting_id: string;
  body: meeting.Meeting['body'];
  quorum_basis: meeting.Meeting['quorumBasis'];
  opened_at: string;
  meeting_date: string;
  roll: string;
}

interface ItemRow {
  quorum_at_opening: string | null;
  decision: string | null;
}

interface FrozenRollJson {
  members: string[];
  representatives: string[];
  households: string[];
  householdRepresentatives: Record<string, string>;
}

interface PetitionRow {
  petition_id: string;
  village_id: string;
  purpose: PetitionPurpose;
  subject: string;
  threshold_reached_at: string;
  closed_at: string | null;
}

type QuorumRecord = 'REACHED' | 'LOST' | 'NEVER_REACHED';

const at = (instant: string): number => Date.parse(instant);
const iso = (instant: number): string => new Date(instant).toISOString();

/**
 * A township's villages over a period, read from the villages, meetings, proposals, petitions and
 * audit-trail tables as their projectors keep them. Counts cover the period [from, to); flags are
 * judged as of `asOf`, the end of the period or now (the injected clock), whichever is earlier.
 */
@Injectable()
export class TownshipOverviewQueries {
  constructor(
    @Inject(READ_DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  overview(township: string, period: { from: string; to: string }): TownshipOverview {
    const from = at(period.from);
    const to = at(period.to);
    const asOf = Math.min(to, this.clock.now().getTime());
    const villages = prepared(
      this.db,
      'SELECT village_id, registered_at, practice FROM villages WHERE township = ?',
    ).all(township) as { village_id: string; registered_at: string; practice: string }[];
    const practices = new Map(
      villages.map((v): [string, VillagePractice] => [v.village_id, JSON.parse(v.practice)]),
    );
    const proposals = this.proposalsOf(township);
    return {
      township,
      period: { from: iso(from), to: iso(to) },
      asOf: iso(asOf),
      villages: villages.filter((v) => at(v.registered_at) <= asOf).length,
      meetings: this.meetingsHeld(township, from, to),
      resolutions: resolutionCounts(proposals, from, to),
      overduePublications: overduePublications(proposals, practices, asOf),
      standingPetitionDuties: this.standingPetitionDuties(township, asOf),
      openCorrectionOrders: openCorrectionOrders(proposals, asOf),
      rules: this.rules(),
    };
  }

  private proposalsOf(township: string): ProposalHistory[] {
    const rows = prepared(
      this.db,
      `SELECT p.village_id, p.state FROM proposals p JOIN villages v USING (village_id)
         WHERE v.township = ? ORDER BY p.seq`,
    ).all(township) as { village_id: string; state: string }[];
    return rows.map((row) => ({
      villageId: row.village_id,
      state: JSON.parse(row.state) as proposal.ProposalState,
    }));
  }

  /** Meetings opened in [from, to), each with one quorum record. */
  private meetingsHeld(township: string, from: number, to: number): MeetingsHeld {
    const rows = (
      prepared(
        this.db,
        `SELECT m.meeting_id, m.body, m.quorum_basis, m.opened_at, m.meeting_date, m.roll
           FROM meetings m JOIN villages v USING (village_id)
           WHERE v.township = ? AND m.opened_at IS NOT NULL`,
      ).all(township) as MeetingRow[]
    ).filter((row) => at(row.opened_at) >= from && at(row.opened_at) < to);
    const records = rows.map((row) => this.quorumRecord(row));
    const count = (record: QuorumRecord) => records.filter((r) => r === record).length;
    const quorumLost = count('LOST');
    const quorumNeverReached = count('NEVER_REACHED');
    return {
      held: rows.length,
      quorumReached: count('REACHED'),
      quorumMissed: quorumLost + quorumNeverReached,
      quorumLost,
      quorumNeverReached,
    };
  }

  /**
   * LOST: an item was decided QUORUM_LOST (A3/R4 judged at its close). REACHED: voting opened on
   * an item (which the domain allows only with a quorum), or, where none did, those present now
   * make a quorum by the domain's judgeQuorum on the frozen roll. NEVER_REACHED otherwise.
   */
  private quorumRecord(row: MeetingRow): QuorumRecord {
    const items = prepared(
      this.db,
      'SELECT quorum_at_opening, decision FROM meeting_items WHERE meeting_id = ?',
    ).all(row.meeting_id) as ItemRow[];
    const decisions = items
      .filter((item) => item.decision !== null)
      .map((item) => JSON.parse(item.decision as string) as ItemDecision);
    if (decisions.some((decision) => decision.outcome === 'QUORUM_LOST')) return 'LOST';
    const voted = items.some(
      (item) =>
        item.quorum_at_opening !== null && (JSON.parse(item.quorum_at_opening) as Judgement).met,
    );
    if (voted) return 'REACHED';
    const json = JSON.parse(row.roll) as FrozenRollJson;
    const roll: meeting.FrozenRoll = {
      meetingDate: row.meeting_date,
      members: new Set(json.members),
      representatives: new Set(json.representatives),
      households: json.households,
      householdRepresentatives: json.householdRepresentatives,
    };
    const present = new Set(
      (
        prepared(
          this.db,
          'SELECT villager_id FROM attendance WHERE meeting_id = ? AND present = 1',
        ).all(row.meeting_id) as { villager_id: string }[]
      ).map((a) => a.villager_id),
    );
    const quorum = meeting.judgeQuorum(
      { body: row.body, quorumBasis: row.quorum_basis },
      roll,
      present,
    );
    return quorum.met ? 'REACHED' : 'NEVER_REACHED';
  }

  /**
   * PRACTICE: a petition's duty stands from its threshold (dueSince) and is flagged once
   * PETITION_DUTY_DAYS have passed by `asOf` with the duty not discharged. Discharged, by `asOf`:
   * the petition was closed, or a meeting was convened on it (convenedBy names it), or a proposal
   * it put forward (proposer PETITION) was tabled to a meeting. Whatever else the committee did
   * (an audit arranged outside the system, say) shows only as the clerk closing the petition.
   */
  private standingPetitionDuties(township: string, asOf: number): StandingPetitionDuty[] {
    const days = this.config.petitionDutyDays;
    const rows = prepared(
      this.db,
      `SELECT p.petition_id, p.village_id, p.purpose, p.subject, p.threshold_reached_at,
           p.closed_at
         FROM petitions p JOIN villages v USING (village_id)
         WHERE v.township = ? AND p.threshold_reached_at IS NOT NULL ORDER BY p.seq`,
    ).all(township) as PetitionRow[];
    const standing: StandingPetitionDuty[] = [];
    for (const row of rows) {
      const dueBy = addDays(row.threshold_reached_at, days);
      if (at(dueBy) >= asOf) continue;
      if (row.closed_at !== null && at(row.closed_at) <= asOf) continue;
      if (this.dischargedBy(row, asOf)) continue;
      const { duty, ruleId } = this.dutyOf(row);
      standing.push({
        villageId: row.village_id,
        petitionId: row.petition_id,
        purpose: row.purpose,
        subject: row.subject,
        duty,
        ruleId,
        dueSince: row.threshold_reached_at,
        dueBy,
      });
    }
    return standing.sort((a, b) => at(a.dueBy) - at(b.dueBy));
  }

  private dischargedBy(row: PetitionRow, asOf: number): boolean {
    const convened = prepared(
      this.db,
      `SELECT convened_at FROM meetings
         WHERE village_id = ? AND json_extract(convened_by, '$.petitionId') = ?`,
    ).all(row.village_id, row.petition_id) as { convened_at: string }[];
    if (convened.some((m) => at(m.convened_at) <= asOf)) return true;
    const proposed = prepared(
      this.db,
      `SELECT state FROM proposals
         WHERE village_id = ? AND json_extract(state, '$.proposal.proposer.petitionId') = ?`,
    ).all(row.village_id, row.petition_id) as { state: string }[];
    return proposed.some(({ state }) => {
      const tabling = (JSON.parse(state) as proposal.ProposalState).tablings[0];
      return tabling !== undefined && at(tabling.tabledAt) <= asOf;
    });
  }

  /** The duty and its rule, as the PetitionThresholdReached event recorded them. */
  private dutyOf(row: PetitionRow): { duty: petition.Duty; ruleId: RuleId } {
    const reached = prepared(
      this.db,
      `SELECT data FROM audit_trail
         WHERE village_id = ? AND stream = ? AND type = 'PetitionThresholdReached'`,
    ).get(row.village_id, streams.petition(row.petition_id)) as { data: string } | undefined;
    if (reached === undefined) {
      throw new Error(`petition ${row.petition_id}: its threshold event is not in the audit trail`);
    }
    const { duty, ruleId } = JSON.parse(reached.data) as petition.PetitionThresholdReached['data'];
    return { duty, ruleId };
  }

  private rules(): OverviewRule[] {
    const law = (flag: OverviewRule['flag'], ruleId: 'P2' | 'C2'): OverviewRule => ({
      flag,
      ruleId,
      ruleBook: RULE_BOOK_VERSION,
      summary: RULES[ruleId].summary,
      citation: RULES[ruleId].citation,
      setting: null,
      days: null,
    });
    const days = this.config.petitionDutyDays;
    return [
      law('OVERDUE_PUBLICATION', 'P2'),
      {
        flag: 'PETITION_DUTY_STANDING',
        ruleId: 'PRACTICE',
        ruleBook: null,
        summary: `The committee acts on a petition within ${days} days of its threshold: the law says it shall (A2, R3, E5, P6), the days are provincial practice.`,
        citation: null,
        setting: 'PETITION_DUTY_DAYS',
        days,
      },
      law('OPEN_CORRECTION_ORDER', 'C2'),
    ];
  }
}
