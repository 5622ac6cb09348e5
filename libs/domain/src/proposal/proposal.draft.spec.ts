import { specification } from '../testing/given-when-then';
import type { WithdrawProposal } from './commands';
import { proposalDecider } from './proposal.decider';
import {
  DRAFTED_AT,
  decided,
  deliberate,
  draft,
  PROPOSAL_ID,
  recorded,
  reviewed,
  stateAfter,
  table,
  VILLAGE_ID,
  withData,
} from './proposal.fixtures';

const proposal = specification(proposalDecider);

const withdraw = (at = '2026-03-04T09:00:00+08:00'): WithdrawProposal => ({
  type: 'WithdrawProposal',
  data: { proposalId: PROPOSAL_ID, reason: 'The township will fund the lane instead', at },
});

describe('drafting a proposal (step 1, 提议)', () => {
  it('records the proposal with its matter and proposer', () => {
    proposal
      .given([])
      .when(draft())
      .then([
        {
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
          },
        },
      ]);
  });

  it('records the petition a villagers’ proposal came from', () => {
    const proposer = { kind: 'PETITION', petitionId: 'petition-7' };
    expect(decided([], withData(draft(), { proposer }))).toMatchObject([
      { type: 'ProposalDrafted', data: { proposer } },
    ]);
  });

  it('keeps only the kind for a Party branch proposal', () => {
    const [drafted] = proposal
      .given([])
      .when(withData(draft(), { proposer: { kind: 'PARTY_BRANCH', petitionId: 'stray' } }))
      .events();
    expect(drafted?.data).toHaveProperty('proposer', { kind: 'PARTY_BRANCH' });
  });

  it('is at step PROPOSED', () => {
    expect(stateAfter(recorded(draft())).step).toBe('PROPOSED');
  });

  it('refuses a petition proposer without the petition', () => {
    proposal
      .given([])
      .when(withData(draft(), { proposer: { kind: 'PETITION' } }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([
    ['matter', 'ROADS'],
    ['proposer', { kind: 'TOWNSHIP' }],
    ['title', ' '],
    ['body', ''],
    ['villageId', ''],
    ['draftedBy', ''],
    ['proposalId', ''],
    ['at', '2026-03-02 09:00'],
  ])('refuses a malformed %s', (field, value) => {
    proposal
      .given([])
      .when(withData(draft(), { [field]: value }))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses to draft the same proposal twice', () => {
    proposal.given(recorded(draft())).when(draft()).thenRefuses('ALREADY_EXISTS');
  });

  it('refuses any other command on a stream with no proposal', () => {
    proposal.given([]).when(deliberate('JOINT_COMMITTEES')).thenRefuses('NOT_FOUND');
  });

  it('refuses a command addressed to another proposal', () => {
    proposal
      .given(recorded(draft()))
      .when(withData(deliberate('JOINT_COMMITTEES'), { proposalId: 'proposal-2' }))
      .thenRefuses('NOT_FOUND');
  });
});

describe('withdrawing a proposal', () => {
  it('F1: a proposal can be withdrawn before it is tabled', () => {
    proposal
      .given(recorded(...reviewed()))
      .when(withdraw())
      .then([
        {
          type: 'ProposalWithdrawn',
          data: {
            proposalId: PROPOSAL_ID,
            reason: 'The township will fund the lane instead',
            at: '2026-03-04T09:00:00+08:00',
          },
        },
      ]);
  });

  it('is at step WITHDRAWN', () => {
    expect(stateAfter(recorded(draft(), withdraw())).step).toBe('WITHDRAWN');
  });

  it('F1: a proposal cannot be withdrawn once it is tabled', () => {
    proposal
      .given(recorded(...reviewed(), table()))
      .when(withdraw())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('refuses a withdrawal without a reason', () => {
    proposal
      .given(recorded(draft()))
      .when(withData(withdraw(), { reason: '' }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([
    ['a deliberation', deliberate('JOINT_COMMITTEES')],
    ['a tabling', table()],
    ['a second withdrawal', withdraw()],
  ])('refuses %s after the withdrawal', (_, command) => {
    proposal.given(recorded(draft(), withdraw())).when(command).thenRefuses('PROPOSAL_WITHDRAWN');
  });
});
