import { proposal } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Database } from 'better-sqlite3';
import { type Projector, prepared } from '../../read-model/projector';

/**
 * A proposal is one row holding its state as the domain folds it (JSON: the state is plain data),
 * so its history — every deliberation, tabling and resolution — reads exactly as the decider sees
 * it. The columns beside it are what lists filter and page on.
 */
export const proposalProjector: Projector = {
  name: 'proposals',
  tables: ['proposals'],
  schema: `
    CREATE TABLE IF NOT EXISTS proposals (
      proposal_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, village_id TEXT NOT NULL,
      matter TEXT NOT NULL, step TEXT NOT NULL, published INTEGER NOT NULL,
      state TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS proposals_by_village ON proposals (village_id, seq);`,
  apply(db: Database, stored: StoredEvent): void {
    if (!stored.stream.startsWith('proposal-')) return;
    const event = { type: stored.type, data: stored.data } as proposal.ProposalEvent;
    const proposalId = stored.stream.slice('proposal-'.length);
    const row = prepared(db, 'SELECT state FROM proposals WHERE proposal_id = ?').get(proposalId) as
      | { state: string }
      | undefined;
    const before =
      row === undefined
        ? proposal.initialProposalState()
        : (JSON.parse(row.state) as proposal.ProposalState);
    const state = proposal.evolveProposal(before, event);
    if (state.proposal === undefined) return;
    const published = state.resolutions.some((resolution) => resolution.publication !== undefined);
    prepared(
      db,
      `INSERT INTO proposals (proposal_id, seq, village_id, matter, step, published, state)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (proposal_id) DO UPDATE SET
         step = excluded.step, published = excluded.published, state = excluded.state`,
    ).run(
      proposalId,
      Number(stored.position),
      state.proposal.villageId,
      state.proposal.matter,
      state.step ?? 'PROPOSED',
      published ? 1 : 0,
      JSON.stringify(state),
    );
  },
};
