import { proposal as domain, type Matter } from '@cunyi/domain';
import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { afterSeq, type Connection, connectionOf, type PageArgs } from '../../graphql/connection';
import { judgementView } from '../../graphql/types';
import { prepared } from '../../read-model/projector';
import { READ_DATABASE } from '../../read-model/read-model.module';
import type { Proposal, Resolution } from '../proposal.types';

interface ProposalRow {
  proposal_id: string;
  seq: number;
  village_id: string;
  published: number;
  state: string;
}

export interface ProposalFilter {
  readonly villageId: string;
  readonly step?: domain.ProposalStep;
  readonly matter?: Matter;
  /** Integrators see only proposals whose resolution is published (public data). */
  readonly publishedOnly: boolean;
}

/** The last step of 四议两公开 completed, read from the whole history. */
function pathStepOf(state: domain.ProposalState): number {
  const resolution = domain.currentResolution(state);
  if (resolution?.resultsPublication !== undefined) return 6;
  if (resolution?.publication !== undefined) return 5;
  if (resolution !== undefined) return 4;
  if (domain.agreedSitting(state, 'PARTY_MEMBERS')) return 3;
  if (domain.agreedSitting(state, 'JOINT_COMMITTEES')) return 2;
  return 1;
}

function resolutionView(resolution: domain.Resolution): Resolution {
  return {
    ...resolution,
    judgements: resolution.judgements.map(judgementView),
    rules: [...resolution.rules],
    publication: resolution.publication ?? null,
    implementationReports: resolution.implementationReports.map((report) => ({
      ...report,
      authorisationId: report.authorisationId ?? null,
    })),
    resultsPublication: resolution.resultsPublication ?? null,
    correction: resolution.correction ?? null,
  };
}

export function proposalView(state: domain.ProposalState): Proposal {
  const p = state.proposal as domain.Proposal;
  return {
    id: p.proposalId,
    villageId: p.villageId,
    title: p.title,
    body: p.body,
    matter: p.matter,
    proposer: p.proposer.kind,
    petitionId: p.proposer.kind === 'PETITION' ? p.proposer.petitionId : null,
    authorisation:
      p.authorisation === undefined
        ? null
        : { matters: [...p.authorisation.matters], expiresAt: p.authorisation.expiresAt ?? null },
    plan: p.plan === undefined ? null : { ...p.plan },
    draftedAt: p.draftedAt,
    step: state.step ?? 'PROPOSED',
    pathStep: pathStepOf(state),
    deliberations: state.deliberations.map((d) => ({
      ...d,
      ...d.counts,
      judgements: d.judgements.map(judgementView),
    })),
    tablings: [...state.tablings],
    resolution:
      state.resolutions.length === 0
        ? null
        : resolutionView(state.resolutions.at(-1) as domain.Resolution),
    resolutions: state.resolutions.map(resolutionView),
    suspension: state.suspension ?? null,
    withdrawnReason: state.withdrawal?.reason ?? null,
  };
}

/**
 * What the public (an integrator) sees of a proposal: the resolutions that were published (step
 * 5), not a newer vote still unpublished, and correction orders without the auditor's identity.
 */
export function publicProposal(proposal: Proposal): Proposal {
  const anonymous = <T extends { auditorId: string | null }>(order: T | null) =>
    order === null ? null : { ...order, auditorId: null };
  const resolutions = proposal.resolutions
    .filter((resolution) => resolution.publication !== null)
    .map((resolution) => ({ ...resolution, correction: anonymous(resolution.correction) }));
  return {
    ...proposal,
    resolutions,
    resolution: resolutions.at(-1) ?? null,
    suspension: anonymous(proposal.suspension),
  };
}

@Injectable()
export class ProposalQueries {
  constructor(@Inject(READ_DATABASE) private readonly db: Database) {}

  /** The village and whether it is public, for the access check; undefined when unknown. */
  scopeOf(proposalId: string): { villageId: string; published: boolean } | undefined {
    const row = prepared(
      this.db,
      'SELECT village_id, published FROM proposals WHERE proposal_id = ?',
    ).get(proposalId) as Pick<ProposalRow, 'village_id' | 'published'> | undefined;
    return row === undefined
      ? undefined
      : { villageId: row.village_id, published: row.published === 1 };
  }

  proposal(proposalId: string): Proposal | undefined {
    const row = prepared(this.db, 'SELECT state FROM proposals WHERE proposal_id = ?').get(
      proposalId,
    ) as Pick<ProposalRow, 'state'> | undefined;
    return row === undefined ? undefined : proposalView(JSON.parse(row.state));
  }

  proposals(filter: ProposalFilter, args: PageArgs): Connection<Proposal> {
    const where = ['village_id = @villageId'];
    if (filter.step !== undefined) where.push('step = @step');
    if (filter.matter !== undefined) where.push('matter = @matter');
    if (filter.publishedOnly) where.push('published = 1');
    const params = {
      villageId: filter.villageId,
      ...(filter.step === undefined ? {} : { step: filter.step }),
      ...(filter.matter === undefined ? {} : { matter: filter.matter }),
    };
    const clause = where.join(' AND ');
    const rows = prepared(
      this.db,
      `SELECT seq, state FROM proposals WHERE ${clause} AND seq > @after ORDER BY seq LIMIT @limit`,
    ).all({ ...params, after: afterSeq(args.after), limit: args.first + 1 }) as Pick<
      ProposalRow,
      'seq' | 'state'
    >[];
    const { total } = prepared(
      this.db,
      `SELECT count(*) AS total FROM proposals WHERE ${clause}`,
    ).get(params) as { total: number };
    return connectionOf(rows, args, total, (row) => proposalView(JSON.parse(row.state)));
  }
}
