import type { ItemDecision } from '../shared/vocabulary';
import type { PlanEvent, PlanKind } from './events';

/**
 * SUPERSEDED: a newer version took this one's place — an approved blueprint when a newer one was
 * approved, an unapproved draft as soon as a newer one was proposed. `approval` tells them apart.
 */
export type VersionStatus =
  | 'DRAFT'
  | 'ANNOUNCED'
  | 'CONSENTED'
  | 'SUBMITTED'
  | 'APPROVED'
  | 'SUPERSEDED';

export interface PlanVersion {
  readonly version: number;
  readonly documentSha256: string;
  readonly summary: string;
  readonly status: VersionStatus;
  readonly proposedAt: string;
  readonly announcedAt?: string;
  readonly consent?: ItemDecision;
  readonly submittedTo?: string;
  readonly approval?: { readonly authority: string; readonly approvedAt: string };
  readonly supersededBy?: number;
}

export interface Plan {
  readonly planId: string;
  readonly villageId: string;
  readonly kind: PlanKind;
  readonly title: string;
  readonly draftedAt: string;
}

export interface PlanState {
  readonly plan?: Plan;
  /** Every version ever proposed, version 1 first: history is kept, never rewritten. */
  readonly versions: readonly PlanVersion[];
  /** The approved version in force: the blueprint. */
  readonly currentVersion?: number;
}

export function initialPlanState(): PlanState {
  return { versions: [] };
}

/** The state with version `version` changed; every other version as it was. */
function withVersion(
  state: PlanState,
  version: number | undefined,
  change: (entry: PlanVersion) => PlanVersion,
): PlanState {
  if (version === undefined) return state;
  return {
    ...state,
    versions: state.versions.map((entry) => (entry.version === version ? change(entry) : entry)),
  };
}

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanDrafted': {
      const { planId, villageId, kind, title, at } = event.data;
      return { ...state, plan: { planId, villageId, kind, title, draftedAt: at } };
    }
    case 'PlanVersionProposed': {
      const { version, documentSha256, summary, replaces, at } = event.data;
      const replaced = withVersion(state, replaces, (entry) => ({
        ...entry,
        status: 'SUPERSEDED',
        supersededBy: version,
      }));
      const proposed: PlanVersion = {
        version,
        documentSha256,
        summary,
        status: 'DRAFT',
        proposedAt: at,
      };
      return { ...replaced, versions: [...replaced.versions, proposed] };
    }
    case 'PlanDraftAnnounced':
      return withVersion(state, event.data.version, (entry) => ({
        ...entry,
        status: 'ANNOUNCED',
        announcedAt: event.data.announcedAt,
      }));
    case 'PlanConsentRecorded':
      return withVersion(state, event.data.version, (entry) => ({
        ...entry,
        status: 'CONSENTED',
        consent: event.data.decision,
      }));
    case 'PlanVersionSubmitted':
      return withVersion(state, event.data.version, (entry) => ({
        ...entry,
        status: 'SUBMITTED',
        submittedTo: event.data.submittedTo,
      }));
    case 'PlanVersionApproved': {
      const { version, authority, approvedAt, supersedes } = event.data;
      const superseded = withVersion(state, supersedes, (entry) => ({
        ...entry,
        status: 'SUPERSEDED',
        supersededBy: version,
      }));
      return {
        ...withVersion(superseded, version, (entry) => ({
          ...entry,
          status: 'APPROVED',
          approval: { authority, approvedAt },
        })),
        currentVersion: version,
      };
    }
  }
}
