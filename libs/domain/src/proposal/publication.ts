/** Steps 5 and 6 (决议公开, 实施结果公开) and the implementation between them (P1, P2, M1, M2, C1). */
import {
  isM1Matter,
  isM3Matter,
  type Matter,
  publicationDueBy,
  RULE_BOOK_VERSION,
  type RuleId,
} from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { millisBetween } from '../shared/time';
import { practiceOf, requireInstantNotAfter, requireText } from '../shared/validate';
import type {
  AuthorisationFact,
  PublishImplementationResults,
  PublishResolution,
  ReportImplementation,
} from './commands';
import type {
  ImplementationReported,
  ImplementationResultsPublished,
  ResolutionPublished,
} from './events';
import { currentResolution, type Proposal, type ProposalState } from './state';

/** P2's "major matters affecting villagers": what the law reserves to the assembly, and plans. */
export const isMajorMatter = (matter: Matter): boolean =>
  isM1Matter(matter) || isM3Matter(matter) || matter === 'PLAN_CONSENT';

export function publishResolution(
  command: PublishResolution,
  state: ProposalState,
  proposal: Proposal,
): ResolutionPublished[] {
  const { proposalId, at } = command.data;
  const publishedAt = requireInstantNotAfter(command.data.publishedAt, at, 'publishedAt');
  requireText(command.data.notice, 'notice');
  const practice = practiceOf(command.data.practice);

  const resolution = currentResolution(state);
  // A lost quorum decided nothing: there is no resolution to publish, only a vote to hold again.
  if (!resolution || resolution.outcome === 'QUORUM_LOST') {
    refuse('STEP_OUT_OF_ORDER', 'step 5 publishes a resolution; none has been taken', 'F1');
  }
  if (resolution.publication) {
    refuse('STEP_OUT_OF_ORDER', 'the resolution has already been published', 'F1');
  }
  if (millisBetween(resolution.decidedAt, publishedAt) < 0) {
    refuse('STEP_OUT_OF_ORDER', 'a resolution cannot be published before it was decided', 'F1');
  }

  const major = isMajorMatter(proposal.matter);
  const dueBy = publicationDueBy(resolution.decidedAt, major, practice);
  return [
    {
      type: 'ResolutionPublished',
      data: {
        proposalId,
        meetingId: resolution.meetingId,
        itemId: resolution.itemId,
        publishedAt,
        notice: command.data.notice,
        major,
        dueBy,
        late: millisBetween(dueBy, publishedAt) > 0,
        ruleBook: RULE_BOOK_VERSION,
        rules: ['P1', 'P2', 'F1'],
        at,
      },
    },
  ];
}

function requireAuthorisationFact(value: AuthorisationFact | undefined): void {
  if (value === undefined) return;
  requireText(value.authorisationId, 'authorisation.authorisationId');
  if (typeof value.live !== 'boolean') {
    refuse('INVALID_INPUT', 'authorisation.live must be true or false');
  }
}

export function reportImplementation(
  command: ReportImplementation,
  state: ProposalState,
  proposal: Proposal,
): ImplementationReported[] {
  const { proposalId, summary, authorisation, at } = command.data;
  requireText(summary, 'summary');
  requireAuthorisationFact(authorisation);

  if (state.suspension) {
    refuse('PROPOSAL_SUSPENDED', `suspended by correction order ${state.suspension.orderId}`, 'C2');
  }
  const m1 = isM1Matter(proposal.matter);
  const resolution = currentResolution(state);
  if (resolution?.outcome !== 'PASSED') {
    refuse(
      'RESOLUTION_REQUIRED',
      m1
        ? `${proposal.matter} can be acted on only after the assembly has passed it`
        : 'only a passed resolution is carried out',
      m1 ? 'M1' : 'F1',
    );
  }
  // M2: the representatives' assembly decides an M1 matter only under the assembly's authorisation.
  const underAuthorisation = m1 && resolution.body === 'REPRESENTATIVES_ASSEMBLY';
  if (underAuthorisation && authorisation?.live !== true) {
    refuse(
      'RESOLUTION_REQUIRED',
      `${proposal.matter} was decided by the representatives' assembly without a live M2 authorisation`,
      'M1',
    );
  }
  // C1: village rules (村规民约) and the autonomy charter are the villagers' assembly's own to adopt;
  // no authorisation hands them to the representatives' assembly.
  const villageRules = proposal.matter === 'VILLAGE_RULES';
  if (villageRules && resolution.body !== 'VILLAGERS_ASSEMBLY') {
    refuse('RESOLUTION_REQUIRED', "village rules are adopted by the villagers' assembly", 'C1');
  }
  if (!resolution.publication) {
    refuse('STEP_OUT_OF_ORDER', 'the resolution must be published before it is carried out', 'F1');
  }
  if (resolution.resultsPublication) {
    refuse('STEP_OUT_OF_ORDER', 'the results have already been published', 'F1');
  }

  const rules: RuleId[] = [
    'F1',
    ...(m1 ? (['M1'] as const) : []),
    ...(underAuthorisation ? (['M2'] as const) : []),
    ...(villageRules ? (['C1'] as const) : []),
  ];
  return [
    {
      type: 'ImplementationReported',
      data: {
        proposalId,
        meetingId: resolution.meetingId,
        itemId: resolution.itemId,
        summary,
        ...(underAuthorisation && authorisation
          ? { authorisationId: authorisation.authorisationId }
          : {}),
        ruleBook: RULE_BOOK_VERSION,
        rules,
        at,
      },
    },
  ];
}

export function publishImplementationResults(
  command: PublishImplementationResults,
  state: ProposalState,
): ImplementationResultsPublished[] {
  const { proposalId, notice, at } = command.data;
  const publishedAt = requireInstantNotAfter(command.data.publishedAt, at, 'publishedAt');
  requireText(notice, 'notice');

  const resolution = currentResolution(state);
  if (!resolution?.publication || resolution.implementationReports.length === 0) {
    refuse('STEP_OUT_OF_ORDER', 'step 6 publishes results that have been reported', 'F1');
  }
  if (resolution.resultsPublication) {
    refuse('STEP_OUT_OF_ORDER', 'the results have already been published', 'F1');
  }
  if (millisBetween(resolution.publication.publishedAt, publishedAt) < 0) {
    refuse('STEP_OUT_OF_ORDER', 'results cannot be published before the resolution', 'F1');
  }
  return [
    {
      type: 'ImplementationResultsPublished',
      data: {
        proposalId,
        meetingId: resolution.meetingId,
        itemId: resolution.itemId,
        publishedAt,
        notice,
        ruleBook: RULE_BOOK_VERSION,
        rules: ['P1', 'F1'],
        at,
      },
    },
  ];
}
