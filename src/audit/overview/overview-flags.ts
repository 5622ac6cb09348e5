/**
 * What the township overview reads from each proposal's history (the proposals read model keeps
 * it whole, as the domain folds it): resolutions decided in a period, publications overdue under
 * P2 and correction orders still standing under C2, each judged as of an instant.
 */
import {
  type ItemOutcome,
  MATTERS,
  type Matter,
  proposal,
  publicationDueBy,
  type VillagePractice,
} from '@cunyi/domain';
import type {
  OpenCorrectionOrder,
  OverduePublication,
  ResolutionCount,
} from './township-overview.types';

export interface ProposalHistory {
  readonly villageId: string;
  readonly state: proposal.ProposalState;
}

const at = (instant: string): number => Date.parse(instant);
const OUTCOMES: readonly ItemOutcome[] = ['PASSED', 'FAILED', 'QUORUM_LOST'];

/** Resolutions decided in [from, to), counted by matter and outcome, in the rule book's order. */
export function resolutionCounts(
  proposals: readonly ProposalHistory[],
  from: number,
  to: number,
): ResolutionCount[] {
  const counts = new Map<string, ResolutionCount>();
  for (const { state } of proposals) {
    const matter = (state.proposal as proposal.Proposal).matter;
    for (const { outcome, decidedAt } of state.resolutions) {
      if (at(decidedAt) < from || at(decidedAt) >= to) continue;
      const key = `${matter}/${outcome}`;
      const count = counts.get(key) ?? { matter, outcome, count: 0 };
      counts.set(key, { ...count, count: count.count + 1 });
    }
  }
  const order = (matter: Matter, outcome: ItemOutcome) =>
    MATTERS.indexOf(matter) * OUTCOMES.length + OUTCOMES.indexOf(outcome);
  return [...counts.values()].sort(
    (a, b) => order(a.matter, a.outcome) - order(b.matter, b.outcome),
  );
}

/**
 * P2, as of `asOf`: a resolution that must be published and was not by its due date. Which must
 * be published is the domain's publishResolution's answer: any but QUORUM_LOST (a lost quorum
 * decided nothing). One superseded by a newer resolution before `asOf` is no longer publishable
 * (step 5 publishes the current resolution) and is not listed; nor is one published by `asOf`,
 * late or not (a late publication carries its own `late` mark). The due date is the one the
 * publication recorded, or else the domain's publicationDueBy under the village's practice now.
 */
export function overduePublications(
  proposals: readonly ProposalHistory[],
  practices: ReadonlyMap<string, VillagePractice>,
  asOf: number,
): OverduePublication[] {
  const overdue: OverduePublication[] = [];
  for (const { villageId, state } of proposals) {
    const { proposalId, title, matter } = state.proposal as proposal.Proposal;
    const major = proposal.isMajorMatter(matter);
    state.resolutions.forEach((resolution, index) => {
      if (resolution.outcome === 'QUORUM_LOST' || at(resolution.decidedAt) > asOf) return;
      const next = state.resolutions[index + 1];
      if (next !== undefined && at(next.decidedAt) <= asOf) return;
      const { publication } = resolution;
      if (publication !== undefined && at(publication.publishedAt) <= asOf) return;
      const dueBy =
        publication?.dueBy ??
        publicationDueBy(resolution.decidedAt, major, practices.get(villageId));
      if (at(dueBy) >= asOf) return;
      overdue.push({
        villageId,
        proposalId,
        title,
        matter,
        outcome: resolution.outcome,
        meetingId: resolution.meetingId,
        resolvedAt: resolution.decidedAt,
        dueBy,
        major,
        publishedAt: publication?.publishedAt ?? null,
      });
    });
  }
  return overdue.sort(
    (a, b) => at(a.dueBy) - at(b.dueBy) || a.proposalId.localeCompare(b.proposalId),
  );
}

/**
 * C2, as of `asOf`: an order stands from when it was given until a new passed resolution lifts it
 * (the domain's recordResolution lifts it with the first PASSED resolution after the order, in
 * the same append). The order is kept on the resolution it was given against.
 */
export function openCorrectionOrders(
  proposals: readonly ProposalHistory[],
  asOf: number,
): OpenCorrectionOrder[] {
  const open: OpenCorrectionOrder[] = [];
  for (const { villageId, state } of proposals) {
    const { proposalId, title } = state.proposal as proposal.Proposal;
    state.resolutions.forEach(({ correction }, index) => {
      if (correction === undefined || at(correction.orderedAt) > asOf) return;
      const lifting = state.resolutions
        .slice(index + 1)
        .find((later) => later.outcome === 'PASSED');
      if (lifting !== undefined && at(lifting.recordedAt) <= asOf) return;
      const { orderId, legalBasis, orderedAt } = correction;
      open.push({ villageId, proposalId, title, orderId, legalBasis, orderedAt });
    });
  }
  return open.sort((a, b) => at(a.orderedAt) - at(b.orderedAt));
}
