import { DEFAULT_PRACTICE, dateOf, type village } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * Villages as rows: the village with its practice and offices, its households, its roll (a removed
 * villager stays, marked with the day they left it) and its M2 authorisations. Household and
 * authorisation ids are the village's own, so they are keyed together with the village.
 */
export const villageProjector: Projector = {
  name: 'villages',
  tables: ['villages', 'households', 'villagers', 'authorisations'],
  schema: `
    CREATE TABLE IF NOT EXISTS villages (
      village_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL,
      township TEXT NOT NULL, county TEXT NOT NULL, province TEXT NOT NULL,
      registered_at TEXT NOT NULL, practice TEXT NOT NULL,
      representative_ids TEXT NOT NULL DEFAULT '[]', committee_ids TEXT NOT NULL DEFAULT '[]',
      supervision_ids TEXT NOT NULL DEFAULT '[]');
    CREATE INDEX IF NOT EXISTS villages_by_township ON villages (township, seq);
    CREATE TABLE IF NOT EXISTS households (
      village_id TEXT NOT NULL, household_id TEXT NOT NULL, seq INTEGER NOT NULL,
      name TEXT NOT NULL, registered_at TEXT NOT NULL, representative_id TEXT,
      PRIMARY KEY (village_id, household_id));
    CREATE TABLE IF NOT EXISTS villagers (
      villager_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, village_id TEXT NOT NULL,
      household_id TEXT NOT NULL, name TEXT NOT NULL, gender TEXT NOT NULL,
      birth_date TEXT NOT NULL, residence_basis TEXT NOT NULL, registered_on TEXT NOT NULL,
      removed_on TEXT, removal_reason TEXT);
    CREATE INDEX IF NOT EXISTS villagers_by_village ON villagers (village_id, seq);
    CREATE TABLE IF NOT EXISTS authorisations (
      village_id TEXT NOT NULL, authorisation_id TEXT NOT NULL, seq INTEGER NOT NULL,
      matters TEXT NOT NULL, resolution TEXT NOT NULL, expires_at TEXT, recorded_at TEXT NOT NULL,
      revocation TEXT, revoked_at TEXT,
      PRIMARY KEY (village_id, authorisation_id));`,
  apply(db: Database, stored: StoredEvent): void {
    if (!stored.stream.startsWith('village-')) return;
    const event = { type: stored.type, data: stored.data } as village.VillageEvent;
    const seq = Number(stored.position);
    switch (event.type) {
      case 'VillageRegistered': {
        const { villageId, name, township, county, province, at } = event.data;
        prepared(
          db,
          `INSERT INTO villages (village_id, seq, name, township, county, province, registered_at,
             practice) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          villageId,
          seq,
          name,
          township,
          county,
          province,
          at,
          JSON.stringify(DEFAULT_PRACTICE),
        );
        return;
      }
      case 'PracticeSet': {
        const { villageId, practice } = event.data;
        prepared(db, 'UPDATE villages SET practice = ? WHERE village_id = ?').run(
          JSON.stringify(practice),
          villageId,
        );
        return;
      }
      case 'HouseholdRegistered': {
        const { villageId, householdId, name, at } = event.data;
        prepared(
          db,
          `INSERT INTO households (village_id, household_id, seq, name, registered_at)
           VALUES (?, ?, ?, ?, ?)`,
        ).run(villageId, householdId, seq, name, at);
        return;
      }
      case 'VillagerRegistered': {
        const d = event.data;
        prepared(
          db,
          `INSERT INTO villagers (villager_id, seq, village_id, household_id, name, gender,
             birth_date, residence_basis, registered_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          d.villagerId,
          seq,
          d.villageId,
          d.householdId,
          d.name,
          d.gender,
          d.birthDate,
          d.residenceBasis,
          dateOf(d.at),
        );
        return;
      }
      case 'VillagerRemoved': {
        const { villagerId, reason, effectiveDate } = event.data;
        prepared(
          db,
          'UPDATE villagers SET removed_on = ?, removal_reason = ? WHERE villager_id = ?',
        ).run(effectiveDate, reason, villagerId);
        return;
      }
      case 'HouseholdRepresentativeDesignated': {
        const { villageId, householdId, villagerId } = event.data;
        prepared(
          db,
          'UPDATE households SET representative_id = ? WHERE village_id = ? AND household_id = ?',
        ).run(villagerId, villageId, householdId);
        return;
      }
      case 'RepresentativesElected': {
        const { villageId, representativeIds } = event.data;
        setOffice(db, 'representative_ids', villageId, representativeIds);
        return;
      }
      case 'CommitteeElected':
        setOffice(db, 'committee_ids', event.data.villageId, event.data.memberIds);
        return;
      case 'SupervisionCommitteeElected':
        setOffice(db, 'supervision_ids', event.data.villageId, event.data.memberIds);
        return;
      case 'AuthorisationRecorded': {
        const { villageId, authorisationId, matters, resolution, expiresAt, at } = event.data;
        prepared(
          db,
          `INSERT INTO authorisations (village_id, authorisation_id, seq, matters, resolution,
             expires_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          villageId,
          authorisationId,
          seq,
          JSON.stringify(matters),
          JSON.stringify(resolution),
          expiresAt ?? null,
          at,
        );
        return;
      }
      case 'AuthorisationRevoked': {
        const { villageId, authorisationId, resolution, at } = event.data;
        prepared(
          db,
          `UPDATE authorisations SET revocation = ?, revoked_at = ?
           WHERE village_id = ? AND authorisation_id = ?`,
        ).run(JSON.stringify(resolution), at, villageId, authorisationId);
        return;
      }
    }
  },
};

type Office = 'representative_ids' | 'committee_ids' | 'supervision_ids';

function setOffice(db: Database, office: Office, villageId: string, ids: readonly string[]): void {
  prepared(db, `UPDATE villages SET ${office} = ? WHERE village_id = ?`).run(
    JSON.stringify(ids),
    villageId,
  );
}
