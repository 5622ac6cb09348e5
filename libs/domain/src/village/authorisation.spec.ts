import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { specification } from '../testing/given-when-then';
import type { RevokeAuthorisation } from './commands';
import { villageDecider } from './village.decider';
import {
  AT,
  authorisingResolution,
  LATER,
  recordAuthorisation,
  recorded,
  registerVillage,
  VILLAGE,
  withData,
} from './village.fixtures';

const village = specification(villageDecider);
const registered = () => recorded(registerVillage());
const authorised = () => recorded(registerVillage(), recordAuthorisation());

const revocation = (overrides: Partial<RevokeAuthorisation['data']> = {}): RevokeAuthorisation => ({
  type: 'RevokeAuthorisation',
  data: {
    villageId: VILLAGE,
    authorisationId: 'auth-1',
    resolution: authorisingResolution({
      meetingId: 'm-2026-05',
      decidedAt: '2026-05-20T11:00:00+08:00',
    }),
    at: LATER,
    ...overrides,
  },
});

describe('recording an authorisation (M2)', () => {
  it('M2: records the matters it covers and the passed assembly resolution it rests on', () => {
    village
      .given(registered())
      .when(recordAuthorisation({ expiresAt: '2027-03-01T00:00:00+08:00' }))
      .then([
        {
          type: 'AuthorisationRecorded',
          data: {
            villageId: VILLAGE,
            authorisationId: 'auth-1',
            matters: ['PUBLIC_WORKS', 'COLLECTIVE_INCOME_USE'],
            resolution: authorisingResolution(),
            expiresAt: '2027-03-01T00:00:00+08:00',
            ruleBook: RULE_BOOK_VERSION,
            rules: ['M1', 'M2'],
            at: AT,
          },
        },
      ]);
  });

  it('M2: an authorisation without an expiry records none', () => {
    const [event] = village.given(registered()).when(recordAuthorisation()).events();
    expect(event?.data).not.toHaveProperty('expiresAt');
  });

  it('M2: an authorisation resting on a failed resolution is refused', () => {
    village
      .given(registered())
      .when(recordAuthorisation({ resolution: authorisingResolution({ outcome: 'FAILED' }) }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it('M2: an authorisation resting on a resolution whose quorum was lost is refused', () => {
    village
      .given(registered())
      .when(recordAuthorisation({ resolution: authorisingResolution({ outcome: 'QUORUM_LOST' }) }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it("M2: the representatives' assembly cannot authorise itself", () => {
    village
      .given(registered())
      .when(
        recordAuthorisation({
          resolution: authorisingResolution({ body: 'REPRESENTATIVES_ASSEMBLY' }),
        }),
      )
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it('M2: a resolution on another matter does not authorise', () => {
    village
      .given(registered())
      .when(recordAuthorisation({ resolution: authorisingResolution({ matter: 'PUBLIC_WORKS' }) }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it('M2: an authorisation covers only the matters M1 reserves to the assembly', () => {
    village
      .given(registered())
      .when(recordAuthorisation({ matters: ['PUBLIC_WORKS', 'VILLAGE_RULES'] }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it.each([
    ['no matters', { matters: [] }],
    ['an unknown matter', { matters: ['FIREWORKS'] }],
    ['a matter twice', { matters: ['PUBLIC_WORKS', 'PUBLIC_WORKS'] }],
    ['an expiry at the moment it is recorded', { expiresAt: AT }],
    ['an expiry that is not an instant', { expiresAt: '2027-03-01' }],
    [
      'a resolution decided after the command',
      { resolution: authorisingResolution({ decidedAt: LATER }) },
    ],
    ['a resolution with no meeting', { resolution: authorisingResolution({ meetingId: '' }) }],
    ['an empty id', { authorisationId: '' }],
  ])('refuses %s', (_, change) => {
    village
      .given(registered())
      .when(withData(recordAuthorisation(), change))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses an authorisation id already on record', () => {
    village
      .given(authorised())
      .when(recordAuthorisation({ resolution: authorisingResolution({ itemId: 'item-2' }) }))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses a second authorisation resting on the same resolution', () => {
    village
      .given(authorised())
      .when(recordAuthorisation({ authorisationId: 'auth-2' }))
      .thenRefuses('ALREADY_EXISTS');
  });

  it('refuses an authorisation for a village not registered', () => {
    village.given([]).when(recordAuthorisation()).thenRefuses('NOT_FOUND');
  });
});

describe('revoking an authorisation (M2)', () => {
  it('M2: records the revoking resolution', () => {
    village
      .given(authorised())
      .when(revocation())
      .then([
        {
          type: 'AuthorisationRevoked',
          data: {
            villageId: VILLAGE,
            authorisationId: 'auth-1',
            resolution: revocation().data.resolution,
            ruleBook: RULE_BOOK_VERSION,
            rules: ['M2'],
            at: LATER,
          },
        },
      ]);
  });

  it('M2: a revocation resting on a failed resolution is refused', () => {
    village
      .given(authorised())
      .when(
        revocation({
          resolution: { ...revocation().data.resolution, outcome: 'FAILED' },
        }),
      )
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it('M2: a revoking resolution must come after the granting one', () => {
    village
      .given(authorised())
      .when(
        revocation({
          resolution: authorisingResolution({
            meetingId: 'm-2026-01',
            decidedAt: '2026-01-20T11:00:00+08:00',
          }),
        }),
      )
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it('refuses an authorisation not on record', () => {
    village
      .given(authorised())
      .when(revocation({ authorisationId: 'auth-9' }))
      .thenRefuses('NOT_FOUND');
  });

  it('refuses to revoke an authorisation twice', () => {
    village
      .given(recorded(registerVillage(), recordAuthorisation(), revocation()))
      .when(
        revocation({
          resolution: authorisingResolution({
            meetingId: 'm-2026-06',
            decidedAt: '2026-05-30T11:00:00+08:00',
          }),
        }),
      )
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses to revoke an authorisation that had expired', () => {
    village
      .given(
        recorded(
          registerVillage(),
          recordAuthorisation({ expiresAt: '2026-05-01T00:00:00+08:00' }),
        ),
      )
      .when(revocation())
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses to revoke with the resolution that granted it', () => {
    village
      .given(authorised())
      .when(revocation({ resolution: authorisingResolution() }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });
});
