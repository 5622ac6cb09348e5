import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import {
  requireInstant,
  requireInstantNotAfter,
  requireOneOf,
  requireText,
} from '../shared/validate';
import type {
  AnnounceDraft,
  ApproveVersion,
  DraftPlan,
  PlanCommand,
  ProposeVersion,
  SubmitForApproval,
} from './commands';
import { recordConsent } from './consent';
import { PLAN_KINDS, type PlanEvent } from './events';
import { evolvePlan, initialPlanState, type PlanState } from './state';
import { requireSha256, requireVersion } from './validate';
import { requirePlan, requireVersionInProgress } from './versions';

export type { PlanState, PlanVersion, VersionStatus } from './state';

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  decide(command, state) {
    switch (command.type) {
      case 'DraftPlan':
        return draft(command.data, state);
      case 'ProposeVersion':
        return propose(command.data, state);
      case 'AnnounceDraft':
        return announce(command.data, state);
      case 'RecordConsent':
        return recordConsent(command.data, state);
      case 'SubmitForApproval':
        return submit(command.data, state);
      case 'ApproveVersion':
        return approve(command.data, state);
    }
  },
  evolve: evolvePlan,
  initialState: initialPlanState,
};

function draft(data: DraftPlan['data'], state: PlanState): PlanEvent[] {
  requireText(data.planId, 'planId');
  if (state.plan) refuse('ALREADY_EXISTS', `plan ${data.planId} already drafted`);
  requireText(data.villageId, 'villageId');
  requireOneOf(data.kind, PLAN_KINDS, 'kind');
  requireText(data.title, 'title');
  requireInstant(data.at, 'at');
  const { planId, villageId, kind, title, at } = data;
  return [{ type: 'PlanDrafted', data: { planId, villageId, kind, title, at } }];
}

/**
 * A version after an approved one is an amendment; it goes the whole path again (M4) while the
 * approved blueprint stays in force. A version proposed before the previous one was approved
 * takes its place: that one can no longer be announced, consented to or approved.
 */
function propose(data: ProposeVersion['data'], state: PlanState): PlanEvent[] {
  const plan = requirePlan(state, data.planId);
  requireVersion(data.version, 'version');
  requireSha256(data.documentSha256, 'documentSha256');
  requireText(data.summary, 'summary');
  requireInstant(data.at, 'at');
  const existing = state.versions[data.version - 1];
  if (existing !== undefined) {
    refuse(
      'VERSION_IMMUTABLE',
      `version ${data.version} exists: a change is the next version, ${state.versions.length + 1}`,
      existing.approval === undefined ? undefined : 'M4',
    );
  }
  if (data.version !== state.versions.length + 1) {
    refuse('INVALID_INPUT', `the next version is ${state.versions.length + 1}`);
  }
  const latest = state.versions.at(-1);
  const unfinished = latest !== undefined && latest.status !== 'APPROVED' ? latest : undefined;
  return [
    {
      type: 'PlanVersionProposed',
      data: {
        planId: plan.planId,
        version: data.version,
        documentSha256: data.documentSha256,
        summary: data.summary,
        ...(state.currentVersion === undefined ? {} : { amends: state.currentVersion }),
        ...(unfinished === undefined ? {} : { replaces: unfinished.version }),
        at: data.at,
      },
    },
  ];
}

function announce(data: AnnounceDraft['data'], state: PlanState): PlanEvent[] {
  const plan = requirePlan(state, data.planId);
  requireInstant(data.announcedAt, 'announcedAt');
  requireInstant(data.at, 'at');
  requireInstantNotAfter(data.announcedAt, data.at, 'announcedAt');
  const entry = requireVersionInProgress(state, data.version);
  if (entry.status !== 'DRAFT') {
    refuse('STEP_OUT_OF_ORDER', `version ${entry.version} was announced ${entry.announcedAt}`);
  }
  return [
    {
      type: 'PlanDraftAnnounced',
      data: {
        planId: plan.planId,
        version: entry.version,
        announcedAt: data.announcedAt,
        at: data.at,
      },
    },
  ];
}

/** M4: no submission for approval without the assembly's consent to this version. */
function submit(data: SubmitForApproval['data'], state: PlanState): PlanEvent[] {
  const plan = requirePlan(state, data.planId);
  requireText(data.submittedTo, 'submittedTo');
  requireInstant(data.at, 'at');
  const entry = requireVersionInProgress(state, data.version);
  if (entry.consent === undefined) {
    refuse('CONSENT_REQUIRED', `version ${entry.version} has no assembly consent`, 'M4');
  }
  if (entry.status !== 'CONSENTED') {
    refuse('STEP_OUT_OF_ORDER', `version ${entry.version} was submitted to ${entry.submittedTo}`);
  }
  return [
    {
      type: 'PlanVersionSubmitted',
      data: {
        planId: plan.planId,
        version: entry.version,
        submittedTo: data.submittedTo,
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M4'],
        at: data.at,
      },
    },
  ];
}

/**
 * The authority is named as given: the township may submit a plan that the county approves, so it
 * need not be the one submitted to.
 */
function approve(data: ApproveVersion['data'], state: PlanState): PlanEvent[] {
  const plan = requirePlan(state, data.planId);
  requireText(data.authority, 'authority');
  requireInstant(data.approvedAt, 'approvedAt');
  requireInstant(data.at, 'at');
  requireInstantNotAfter(data.approvedAt, data.at, 'approvedAt');
  const entry = requireVersionInProgress(state, data.version);
  if (entry.consent === undefined) {
    refuse('CONSENT_REQUIRED', `version ${entry.version} has no assembly consent`, 'M4');
  }
  if (entry.status !== 'SUBMITTED') {
    refuse('STEP_OUT_OF_ORDER', `version ${entry.version} has not been submitted for approval`);
  }
  return [
    {
      type: 'PlanVersionApproved',
      data: {
        planId: plan.planId,
        version: entry.version,
        authority: data.authority,
        approvedAt: data.approvedAt,
        ...(state.currentVersion === undefined ? {} : { supersedes: state.currentVersion }),
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M4'],
        at: data.at,
      },
    },
  ];
}
