import { specification } from '../testing/given-when-then';
import type { ProposalDrafted } from './events';
import { proposalDecider } from './proposal.decider';
import {
  DRAFTED_AT,
  draft,
  PLAN_V1,
  PROPOSAL_ID,
  PUBLIC_WORKS_AUTHORISATION,
  recorded,
  stateAfter,
  VILLAGE_ID,
  withData,
} from './proposal.fixtures';

/** What the villagers vote on must say it: the subject of an AUTHORISATION or PLAN_CONSENT vote. */
const proposal = specification(proposalDecider);

const drafted = (change: Partial<ProposalDrafted['data']>): ProposalDrafted => ({
  type: 'ProposalDrafted',
  data: {
    proposalId: PROPOSAL_ID,
    villageId: VILLAGE_ID,
    title: 'Resurface the lane to the primary school',
    body: 'Spend 180,000 yuan of the collective income from the fish ponds on the school lane.',
    matter: 'COLLECTIVE_INCOME_USE',
    proposer: { kind: 'COMMITTEE' },
    draftedBy: 'clerk-1',
    at: DRAFTED_AT,
    ...change,
  },
});

describe('the authorisation an AUTHORISATION proposal puts to the vote (M2)', () => {
  it('M2: an authorisation proposal names the matters it hands over', () => {
    proposal
      .given([])
      .when(draft('AUTHORISATION'))
      .then([drafted({ matter: 'AUTHORISATION', authorisation: PUBLIC_WORKS_AUTHORISATION })]);
  });

  it('M2: the proposal keeps the matters and the expiry it hands over', () => {
    const state = stateAfter(recorded(draft('AUTHORISATION')));
    expect(state.proposal?.authorisation).toEqual({
      matters: ['PUBLIC_WORKS'],
      expiresAt: '2026-12-31T23:59:59+08:00',
    });
    expect(state.proposal?.plan).toBeUndefined();
  });

  it('M2: without an expiry the authorisation is put to the vote as lasting until revoked', () => {
    const [event] = proposal
      .given([])
      .when(withData(draft('AUTHORISATION'), { authorisation: { matters: ['HOMESTEAD_PLAN'] } }))
      .events();
    expect(event?.data).toHaveProperty('authorisation', { matters: ['HOMESTEAD_PLAN'] });
  });

  it('M2: only the matters and the expiry are recorded, nothing that rides along', () => {
    const authorisation = { ...PUBLIC_WORKS_AUTHORISATION, body: 'REPRESENTATIVES_ASSEMBLY' };
    const [event] = proposal
      .given([])
      .when(withData(draft('AUTHORISATION'), { authorisation }))
      .events();
    expect(event?.data).toHaveProperty('authorisation', PUBLIC_WORKS_AUTHORISATION);
  });

  it.each([
    ['no authorisation', undefined],
    ['a null authorisation', null],
  ])('M2: an AUTHORISATION proposal with %s is refused', (_, authorisation) => {
    proposal
      .given([])
      .when(withData(draft('AUTHORISATION'), { authorisation }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it.each([
    ['PLAN_CONSENT', ['PLAN_CONSENT']],
    ['AUTHORISATION itself', ['AUTHORISATION']],
    ['a matter beside an M1 one', ['PUBLIC_WORKS', 'CONTRACTED_LAND_ADJUSTMENT']],
  ])('M2: only M1 matters can be handed over, not %s', (_, matters) => {
    proposal
      .given([])
      .when(withData(draft('AUTHORISATION'), { authorisation: { matters } }))
      .thenRefuses('AUTHORISATION_INVALID', 'M2');
  });

  it.each([
    ['no matters', { matters: [] }],
    ['matters that are not a list', { matters: 'PUBLIC_WORKS' }],
    ['a matter twice', { matters: ['PUBLIC_WORKS', 'PUBLIC_WORKS'] }],
    ['an unknown matter', { matters: ['ROADS'] }],
    ['a malformed expiry', { matters: ['PUBLIC_WORKS'], expiresAt: '2026-12-31' }],
    ['an expiry before the draft', { matters: ['PUBLIC_WORKS'], expiresAt: DRAFTED_AT }],
  ])('M2: an authorisation with %s is refused as malformed', (_, authorisation) => {
    proposal
      .given([])
      .when(withData(draft('AUTHORISATION'), { authorisation }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([['PUBLIC_WORKS'], ['PLAN_CONSENT'], ['OTHER']] as const)(
    'M2: a %s proposal cannot carry an authorisation it does not put to the vote',
    (matter) => {
      proposal
        .given([])
        .when(withData(draft(matter), { authorisation: PUBLIC_WORKS_AUTHORISATION }))
        .thenRefuses('INVALID_INPUT', 'M2');
    },
  );
});

describe('the plan version a PLAN_CONSENT proposal puts to the vote (M4)', () => {
  it('M4: a plan-consent proposal names the plan version it asks consent for', () => {
    proposal
      .given([])
      .when(draft('PLAN_CONSENT'))
      .then([drafted({ matter: 'PLAN_CONSENT', plan: PLAN_V1 })]);
  });

  it('M4: the proposal keeps the plan version', () => {
    const state = stateAfter(recorded(draft('PLAN_CONSENT')));
    expect(state.proposal?.plan).toEqual({ planId: 'plan-1', version: 1 });
    expect(state.proposal?.authorisation).toBeUndefined();
  });

  it('M4: only the plan and the version are recorded', () => {
    const [event] = proposal
      .given([])
      .when(withData(draft('PLAN_CONSENT'), { plan: { ...PLAN_V1, status: 'APPROVED' } }))
      .events();
    expect(event?.data).toHaveProperty('plan', PLAN_V1);
  });

  it.each([
    ['no plan', undefined],
    ['a null plan', null],
  ])('M4: a PLAN_CONSENT proposal with %s is refused', (_, plan) => {
    proposal
      .given([])
      .when(withData(draft('PLAN_CONSENT'), { plan }))
      .thenRefuses('INVALID_INPUT', 'M4');
  });

  it.each([
    ['no plan id', { version: 1 }],
    ['a blank plan id', { planId: ' ', version: 1 }],
    ['version 0', { planId: 'plan-1', version: 0 }],
    ['a fractional version', { planId: 'plan-1', version: 1.5 }],
    ['a version in words', { planId: 'plan-1', version: '1' }],
  ])('M4: a plan with %s is refused as malformed', (_, plan) => {
    proposal
      .given([])
      .when(withData(draft('PLAN_CONSENT'), { plan }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([['HOMESTEAD_PLAN'], ['AUTHORISATION'], ['VILLAGE_RULES']] as const)(
    'M4: a %s proposal cannot carry a plan it does not put to the vote',
    (matter) => {
      proposal
        .given([])
        .when(withData(draft(matter), { plan: PLAN_V1 }))
        .thenRefuses('INVALID_INPUT', 'M4');
    },
  );
});

describe('proposals drafted before subjects were recorded', () => {
  it('M2 M4: an older ProposalDrafted without a subject still folds, and says none', () => {
    for (const matter of ['AUTHORISATION', 'PLAN_CONSENT'] as const) {
      const state = stateAfter([drafted({ matter })]);
      expect(state.proposal).toMatchObject({ proposalId: PROPOSAL_ID, matter });
      expect(state.proposal).not.toHaveProperty('authorisation');
      expect(state.proposal).not.toHaveProperty('plan');
      expect(state.step).toBe('PROPOSED');
    }
  });

  it('an ordinary matter is drafted as before, with no subject', () => {
    proposal
      .given([])
      .when(draft())
      .then([drafted({})]);
  });
});
