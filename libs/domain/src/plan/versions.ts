/** Checks on the plan and its versions that more than one command makes. */
import { refuse } from '../shared/domain-error';
import type { Plan, PlanState, PlanVersion } from './state';
import { requireVersion } from './validate';

export function requirePlan(state: PlanState, planId: string): Plan {
  if (state.plan === undefined || state.plan.planId !== planId) {
    return refuse('NOT_FOUND', `plan ${planId} has not been drafted`);
  }
  return state.plan;
}

/**
 * The version a command works on, while it is still on its way to approval. 一张蓝图绘到底: an
 * approved version is never edited; M4 sends any change through a new version.
 */
export function requireVersionInProgress(state: PlanState, version: unknown): PlanVersion {
  requireVersion(version, 'version');
  const entry = state.versions[version - 1];
  if (entry === undefined) return refuse('NOT_FOUND', `version ${version} has not been proposed`);
  if (entry.approval !== undefined) {
    refuse(
      'VERSION_IMMUTABLE',
      `version ${version} was approved: a change is a new version through notice, consent and approval`,
      'M4',
    );
  }
  if (entry.status === 'SUPERSEDED') {
    refuse('STEP_OUT_OF_ORDER', `version ${version} was replaced by version ${entry.supersededBy}`);
  }
  return entry;
}
