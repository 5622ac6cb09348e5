import type { Gender, ItemDecision, Matter, VillagePractice, village } from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { Authorisation, Village, Villager } from '../village.types';

interface VillageRow {
  village_id: string;
  seq: number;
  name: string;
  township: string;
  county: string;
  province: string;
  registered_at: string;
  practice: string;
  representative_ids: string;
  committee_ids: string;
  supervision_ids: string;
}

interface VillagerRow {
  villager_id: string;
  seq: number;
  village_id: string;
  household_id: string;
  name: string;
  gender: Gender;
  birth_date: string;
  residence_basis: village.ResidenceBasis;
  registered_on: string;
  removed_on: string | null;
}

interface AuthorisationRow {
  authorisation_id: string;
  matters: string;
  resolution: string;
  expires_at: string | null;
  recorded_at: string;
  revocation: string | null;
  revoked_at: string | null;
}

/** Which villages a listing may show: by township, and for a village role, their own village. */
export interface VillageFilter {
  readonly township?: string;
  readonly villageId?: string;
}

const resolutionView = ({ meetingId, itemId, decidedAt }: ItemDecision) => ({
  meetingId,
  itemId,
  decidedAt,
});

/** Villages and their rolls from the read model. Who may see what is the resolver's to decide. */
@Injectable()
export class VillageQueries {
  constructor(@Inject(READ_DATABASE) private readonly db: Database) {}

  village(villageId: string): Village | undefined {
    const row = prepared(this.db, 'SELECT * FROM villages WHERE village_id = ?').get(villageId) as
      | VillageRow
      | undefined;
    return row === undefined ? undefined : this.view(row);
  }

  villagesOf(filter: VillageFilter, args: PageArgs): Connection<Village> {
    const where = ['1 = 1'];
    const params: string[] = [];
    if (filter.township !== undefined) {
      where.push('township = ?');
      params.push(filter.township);
    }
    if (filter.villageId !== undefined) {
      where.push('village_id = ?');
      params.push(filter.villageId);
    }
    const condition = where.join(' AND ');
    const rows = prepared(
      this.db,
      `SELECT * FROM villages WHERE ${condition} AND seq > ? ORDER BY seq LIMIT ?`,
    ).all(...params, afterSeq(args.after), args.first + 1) as VillageRow[];
    const { total } = prepared(
      this.db,
      `SELECT count(*) AS total FROM villages WHERE ${condition}`,
    ).get(...params) as { total: number };
    return connectionOf(rows, args, total, (row) => this.view(row));
  }

  /** In registration order; `onRollOnly` leaves out the villagers removed from the roll. */
  villagersOf(villageId: string, args: PageArgs, onRollOnly = true): Connection<Villager> {
    const condition = `village_id = ?${onRollOnly ? ' AND removed_on IS NULL' : ''}`;
    const rows = prepared(
      this.db,
      `SELECT * FROM villagers WHERE ${condition} AND seq > ? ORDER BY seq LIMIT ?`,
    ).all(villageId, afterSeq(args.after), args.first + 1) as VillagerRow[];
    const { total } = prepared(
      this.db,
      `SELECT count(*) AS total FROM villagers WHERE ${condition}`,
    ).get(villageId) as { total: number };
    return connectionOf(rows, args, total, villagerView);
  }

  villager(villagerId: string): Villager | undefined {
    const row = prepared(this.db, 'SELECT * FROM villagers WHERE villager_id = ?').get(
      villagerId,
    ) as VillagerRow | undefined;
    return row === undefined ? undefined : villagerView(row);
  }

  villageOfVillager(villagerId: string): string | undefined {
    const row = prepared(this.db, 'SELECT village_id FROM villagers WHERE villager_id = ?').get(
      villagerId,
    ) as { village_id: string } | undefined;
    return row?.village_id;
  }

  private view(row: VillageRow): Village {
    const count = (sql: string) =>
      (prepared(this.db, sql).get(row.village_id) as { total: number }).total;
    return {
      id: row.village_id,
      name: row.name,
      township: row.township,
      county: row.county,
      province: row.province,
      registeredAt: row.registered_at,
      practice: JSON.parse(row.practice) as VillagePractice,
      householdCount: count('SELECT count(*) AS total FROM households WHERE village_id = ?'),
      rollSize: count(
        'SELECT count(*) AS total FROM villagers WHERE village_id = ? AND removed_on IS NULL',
      ),
      representativeCount: (JSON.parse(row.representative_ids) as string[]).length,
      committee: JSON.parse(row.committee_ids) as string[],
      supervisionCommittee: JSON.parse(row.supervision_ids) as string[],
      authorisations: (
        prepared(this.db, 'SELECT * FROM authorisations WHERE village_id = ? ORDER BY seq').all(
          row.village_id,
        ) as AuthorisationRow[]
      ).map(authorisationView),
    };
  }
}

function villagerView(row: VillagerRow): Villager {
  return {
    id: row.villager_id,
    villageId: row.village_id,
    householdId: row.household_id,
    residenceBasis: row.residence_basis,
    registeredOn: row.registered_on,
    removedOn: row.removed_on,
    personal: { name: row.name, gender: row.gender, birthDate: row.birth_date },
  };
}

function authorisationView(row: AuthorisationRow): Authorisation {
  return {
    id: row.authorisation_id,
    matters: JSON.parse(row.matters) as Matter[],
    resolution: resolutionView(JSON.parse(row.resolution) as ItemDecision),
    expiresAt: row.expires_at,
    recordedAt: row.recorded_at,
    revokedBy:
      row.revocation === null ? null : resolutionView(JSON.parse(row.revocation) as ItemDecision),
    revokedAt: row.revoked_at,
  };
}
