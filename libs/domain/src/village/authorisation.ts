/**
 * M2: the villagers' assembly may authorise the representatives' assembly to decide M1 matters.
 * An authorisation is itself an assembly resolution, so recording one (or revoking one) needs the
 * passed resolution it rests on, as the meeting recorded it.
 */
import { isM1Matter, MATTERS, RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import {
  type ItemDecision,
  itemDecisionOf,
  requireDecisionAgreesWithTally,
} from '../shared/vocabulary';
import type { RecordAuthorisation, RevokeAuthorisation } from './commands';
import type { AuthorisationRecorded, AuthorisationRevoked } from './events';
import { requireVillage } from './guards';
import type { VillageState } from './state';

function requireResolution(resolution: ItemDecision, at: string): void {
  if (typeof resolution !== 'object' || resolution === null) {
    refuse('INVALID_INPUT', 'resolution must be the decision the meeting recorded');
  }
  requireText(resolution.meetingId, 'resolution.meetingId');
  requireText(resolution.itemId, 'resolution.itemId');
  requireInstant(resolution.decidedAt, 'resolution.decidedAt');
  if (Date.parse(resolution.decidedAt) > Date.parse(at)) {
    refuse('INVALID_INPUT', 'resolution.decidedAt is after the command');
  }
  const { body, matter, outcome } = resolution;
  if (body !== 'VILLAGERS_ASSEMBLY' || matter !== 'AUTHORISATION' || outcome !== 'PASSED') {
    refuse(
      'AUTHORISATION_INVALID',
      `only a passed villagers' assembly resolution on an authorisation can grant or revoke one, not a ${outcome} ${body} resolution on ${matter}`,
      'M2',
    );
  }
  requireDecisionAgreesWithTally(resolution);
}

/** One resolution grants or revokes one authorisation. */
function requireUnused(state: VillageState, resolution: ItemDecision): void {
  const same = (other: ItemDecision) =>
    other.meetingId === resolution.meetingId && other.itemId === resolution.itemId;
  for (const authorisation of state.authorisations.values()) {
    const revoking = authorisation.revocation?.resolution;
    if (same(authorisation.resolution) || (revoking !== undefined && same(revoking))) {
      refuse(
        'ALREADY_EXISTS',
        `resolution ${resolution.meetingId}/${resolution.itemId} is already on record`,
      );
    }
  }
}

export function recordAuthorisation(
  { villageId, authorisationId, matters, resolution, expiresAt, at }: RecordAuthorisation['data'],
  state: VillageState,
): AuthorisationRecorded[] {
  requireText(authorisationId, 'authorisationId');
  requireInstant(at, 'at');
  if (!Array.isArray(matters) || matters.length === 0) {
    refuse('INVALID_INPUT', 'matters must name at least one matter');
  }
  for (const matter of matters) requireOneOf(matter, MATTERS, 'matters');
  if (new Set(matters).size !== matters.length) {
    refuse('INVALID_INPUT', 'matters names a matter more than once');
  }
  if (expiresAt !== undefined) {
    requireInstant(expiresAt, 'expiresAt');
    if (Date.parse(expiresAt) <= Date.parse(at)) {
      refuse('INVALID_INPUT', 'expiresAt must be after the authorisation is recorded');
    }
  }
  requireResolution(resolution, at);
  requireVillage(state, villageId);
  const notM1 = matters.find((matter) => !isM1Matter(matter));
  if (notM1 !== undefined) {
    refuse('AUTHORISATION_INVALID', `${notM1} is not a matter the assembly reserves (M1)`, 'M2');
  }
  if (state.authorisations.has(authorisationId)) {
    refuse('ALREADY_EXISTS', `authorisation ${authorisationId} is already on record`);
  }
  requireUnused(state, resolution);
  return [
    {
      type: 'AuthorisationRecorded',
      data: {
        villageId,
        authorisationId,
        matters,
        resolution: itemDecisionOf(resolution),
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M1', 'M2'],
        at,
      },
    },
  ];
}

export function revokeAuthorisation(
  { villageId, authorisationId, resolution, at }: RevokeAuthorisation['data'],
  state: VillageState,
): AuthorisationRevoked[] {
  requireText(authorisationId, 'authorisationId');
  requireInstant(at, 'at');
  requireResolution(resolution, at);
  requireVillage(state, villageId);
  const authorisation = state.authorisations.get(authorisationId);
  if (authorisation === undefined) {
    refuse('NOT_FOUND', `authorisation ${authorisationId} is not on record`);
  }
  if (authorisation.revocation !== undefined) {
    refuse('STEP_OUT_OF_ORDER', `authorisation ${authorisationId} is already revoked`);
  }
  if (
    authorisation.expiresAt !== undefined &&
    Date.parse(authorisation.expiresAt) <= Date.parse(resolution.decidedAt)
  ) {
    refuse('STEP_OUT_OF_ORDER', `authorisation ${authorisationId} had expired`);
  }
  if (Date.parse(resolution.decidedAt) <= Date.parse(authorisation.resolution.decidedAt)) {
    refuse(
      'AUTHORISATION_INVALID',
      'a revoking resolution must come after the resolution that granted the authorisation',
      'M2',
    );
  }
  requireUnused(state, resolution);
  return [
    {
      type: 'AuthorisationRevoked',
      data: {
        villageId,
        authorisationId,
        resolution: itemDecisionOf(resolution),
        ruleBook: RULE_BOOK_VERSION,
        rules: ['M2'],
        at,
      },
    },
  ];
}
