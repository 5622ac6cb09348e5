import { specification } from '../testing/given-when-then';
import type { PetitionEvent } from './events';
import { petitionDecider } from './petition.decider';
import {
  decided,
  history,
  ids,
  LATER,
  PETITION_ID,
  recorded,
  sign,
  startPetition,
  withdraw,
} from './petition.fixtures';

const petition = specification(petitionDecider);
const villagers = ids('v', 95);
const start = startPetition('CONVENE_ASSEMBLY', 'VILLAGERS', villagers);
const close = (reason = 'The assembly was convened for 2026-04-15') =>
  ({ type: 'ClosePetition', data: { petitionId: PETITION_ID, reason, at: LATER } }) as const;
/** Ten signatures of 95: the A2 threshold has been reached. */
const reached = (): PetitionEvent[] => history(start, ids('v', 10));

describe('signing a petition', () => {
  it('A2: only those on the roll frozen at the start may sign', () => {
    petition.given(history(start)).when(sign('outsider')).thenRefuses('NOT_ON_ROLL', 'A2');
  });

  it('A2: one signature per villager', () => {
    petition
      .given(history(start, ['v3']))
      .when(sign('v3'))
      .thenRefuses('ALREADY_SIGNED', 'A2');
  });

  it('signatures after the threshold still count, but the duty falls due only once', () => {
    petition
      .given(reached())
      .when(sign('v11'))
      .then([
        {
          type: 'PetitionSigned',
          data: { petitionId: PETITION_ID, villagerId: 'v11', signatures: 11, at: LATER },
        },
      ]);
  });

  it('a signature needs a villager and an instant', () => {
    petition.given(history(start)).when(sign('')).thenRefuses('INVALID_INPUT');
    petition.given(history(start)).when(sign('v1', '2026-03-05')).thenRefuses('INVALID_INPUT');
  });
});

describe('withdrawing a signature', () => {
  it('a signature may be withdrawn before the threshold is reached', () => {
    petition
      .given(history(start, ['v1', 'v2']))
      .when(withdraw('v1'))
      .then([
        {
          type: 'SignatureWithdrawn',
          data: { petitionId: PETITION_ID, villagerId: 'v1', signatures: 1, at: LATER },
        },
      ]);
  });

  it('A2: a withdrawn signature no longer counts towards the threshold', () => {
    const afterWithdrawal = recorded(
      start,
      ...ids('v', 9).map((villagerId) => sign(villagerId)),
      withdraw('v4'),
    );
    expect(decided(afterWithdrawal, sign('v10'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 9 } },
    ]);
    expect(decided(afterWithdrawal, sign('v4'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 9 } },
    ]);
  });

  it('only a standing signature can be withdrawn', () => {
    petition
      .given(history(start, ['v1']))
      .when(withdraw('v2'))
      .thenRefuses('NOT_SIGNED');
  });

  it('A2: once the threshold is reached, a signature cannot be withdrawn', () => {
    petition.given(reached()).when(withdraw('v1')).thenRefuses('THRESHOLD_ALREADY_REACHED', 'A2');
  });
});

describe('closing a petition', () => {
  it('records how many signed and whether the duty fell due', () => {
    petition
      .given(reached())
      .when(close())
      .then([
        {
          type: 'PetitionClosed',
          data: {
            petitionId: PETITION_ID,
            reason: 'The assembly was convened for 2026-04-15',
            signatures: 10,
            thresholdReached: true,
            at: LATER,
          },
        },
      ]);
    expect(decided(history(start, ['v1']), close('The petitioners gave up'))).toMatchObject([
      { data: { signatures: 1, thresholdReached: false } },
    ]);
  });

  it('a closed petition takes no more signatures, withdrawals or closings', () => {
    const closed = recorded(start, sign('v1'), close());
    petition.given(closed).when(sign('v2')).thenRefuses('PETITION_CLOSED');
    petition.given(closed).when(withdraw('v1')).thenRefuses('PETITION_CLOSED');
    petition.given(closed).when(close()).thenRefuses('PETITION_CLOSED');
  });

  it('a closing needs a reason', () => {
    petition.given(history(start)).when(close('  ')).thenRefuses('INVALID_INPUT');
  });
});

describe('starting a petition', () => {
  it('a petition starts once', () => {
    petition.given(history(start)).when(start).thenRefuses('ALREADY_EXISTS');
  });

  it('commands on a petition never started are refused', () => {
    petition.given([]).when(sign('v1')).thenRefuses('NOT_FOUND');
    petition.given([]).when(withdraw('v1')).thenRefuses('NOT_FOUND');
    petition.given([]).when(close()).thenRefuses('NOT_FOUND');
    petition
      .given(history(start))
      .when({ type: 'SignPetition', data: { petitionId: 'pt-2', villagerId: 'v1', at: LATER } })
      .thenRefuses('NOT_FOUND');
  });

  it.each([
    ['no one eligible', { eligible: [] }],
    ['an eligible id twice', { eligible: ['v1', 'v2', 'v1'] }],
    ['an unknown purpose', { purpose: 'DISSOLVE_COMMITTEE' }],
    ['unknown signatories', { signatories: 'PARTY_MEMBERS' }],
    ['an empty subject', { subject: '' }],
    ['no village', { villageId: '' }],
    ['no one starting it', { startedBy: '' }],
    ['a date without a time', { at: '2026-03-01' }],
    ['a recall in a petition that recalls no one', { recall: { memberId: 'c-1', reasons: 'x' } }],
  ])('refuses a start with %s', (_, change) => {
    petition
      .given([])
      .when({ ...start, data: { ...start.data, ...change } } as typeof start)
      .thenRefuses('INVALID_INPUT');
  });
});
