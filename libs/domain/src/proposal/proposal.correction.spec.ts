import { specification } from '../testing/given-when-then';
import { proposalDecider } from './proposal.decider';
import {
  decided,
  failed,
  ITEM_ID,
  MEETING_ID,
  ORDERED_AT,
  orderCorrection,
  PROPOSAL_ID,
  passed,
  publish,
  publishedCommands,
  publishResults,
  quorumLost,
  recorded,
  report,
  resolve,
  reviewed,
  stateAfter,
  table,
  withData,
} from './proposal.fixtures';

const proposal = specification(proposalDecider);
const published = () => recorded(...publishedCommands());
const suspended = () => recorded(...publishedCommands(), orderCorrection());

/** The second meeting, after the township's order. */
const retable = (meetingId = 'meeting-2', at = '2026-04-10T09:00:00+08:00') =>
  table('VILLAGERS_ASSEMBLY', meetingId, at);
const revote = (decision = passed, meetingId = 'meeting-2', day = '2026-04-25') =>
  resolve(decision({ meetingId, decidedAt: `${day}T11:00:00+08:00` }), `${day}T12:00:00+08:00`);

describe('C2: the township orders a decision corrected (责令改正)', () => {
  it('C2: a correction order suspends the proposal', () => {
    proposal
      .given(published())
      .when(orderCorrection())
      .then([
        {
          type: 'CorrectionOrdered',
          data: {
            proposalId: PROPOSAL_ID,
            orderId: 'order-1',
            auditorId: 'auditor-1',
            legalBasis:
              'VCOL Art. 27(2): the allocation excludes married-out women from the dividend',
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            ruleBook: 'VCOL-2018',
            rules: ['C2'],
            at: ORDERED_AT,
          },
        },
      ]);
    expect(stateAfter(suspended()).step).toBe('SUSPENDED');
  });

  it('C2: a correction order carries no outcome', () => {
    const [ordered] = proposal.given(published()).when(orderCorrection()).events();
    expect(Object.keys(ordered?.data ?? {}).sort()).toEqual(
      [
        'proposalId',
        'orderId',
        'auditorId',
        'legalBasis',
        'meetingId',
        'itemId',
        'ruleBook',
        'rules',
        'at',
      ].sort(),
    );
    const [before] = stateAfter(published()).resolutions;
    const [after] = stateAfter(suspended()).resolutions;
    expect(after).toMatchObject({
      outcome: before?.outcome,
      tally: before?.tally,
      judgements: before?.judgements,
      correction: { orderId: 'order-1', auditorId: 'auditor-1', orderedAt: ORDERED_AT },
    });
  });

  it('C2: a suspended proposal cannot be reported implemented', () => {
    proposal.given(suspended()).when(report()).thenRefuses('PROPOSAL_SUSPENDED', 'C2');
  });

  it('C2: a correction order suspends the proposal and only a new passed resolution lifts it', () => {
    const failedAgain = recorded(
      ...publishedCommands(),
      orderCorrection(),
      retable(),
      revote(failed),
    );
    expect(stateAfter(failedAgain).step).toBe('SUSPENDED');
    proposal.given(failedAgain).when(report()).thenRefuses('PROPOSAL_SUSPENDED', 'C2');

    const retabled = recorded(
      ...publishedCommands(),
      orderCorrection(),
      retable(),
      revote(failed),
      retable('meeting-3', '2026-05-01T09:00:00+08:00'),
    );
    expect(decided(retabled, revote(passed, 'meeting-3', '2026-05-20'))).toMatchObject([
      { type: 'ProposalResolved', data: { meetingId: 'meeting-3', outcome: 'PASSED' } },
      {
        type: 'ProposalSuspensionLifted',
        data: {
          proposalId: PROPOSAL_ID,
          orderId: 'order-1',
          meetingId: 'meeting-3',
          rules: ['C2'],
        },
      },
    ]);
  });

  it('C2: after the new resolution the path goes on from its publication', () => {
    const lifted = recorded(...publishedCommands(), orderCorrection(), retable(), revote());
    const state = stateAfter(lifted);
    expect(state.suspension).toBeUndefined();
    expect(state.step).toBe('RESOLVED');
    expect(state.resolutions[0]?.correction?.orderId).toBe('order-1');
    proposal.given(lifted).when(report()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
    expect(decided(lifted, publish('2026-04-26T09:00:00+08:00'))).toMatchObject([
      { type: 'ResolutionPublished', data: { meetingId: 'meeting-2' } },
    ]);
  });

  it('C2: a suspended proposal is tabled again under the order', () => {
    expect(decided(suspended(), retable())).toMatchObject([
      { type: 'ProposalTabled', data: { rules: ['F1', 'C2'] } },
    ]);
  });

  it('C2: publishing the results does not lift the suspension', () => {
    const history = recorded(...publishedCommands(), report(), orderCorrection(), publishResults());
    expect(stateAfter(history).step).toBe('SUSPENDED');
  });

  it('C2: no correction is ordered before anything is resolved', () => {
    proposal
      .given(recorded(...reviewed(), table()))
      .when(orderCorrection())
      .thenRefuses('RESOLUTION_REQUIRED', 'C2');
  });

  it('C2: a lost quorum decided nothing to correct', () => {
    proposal
      .given(recorded(...reviewed(), table(), resolve(quorumLost())))
      .when(orderCorrection())
      .thenRefuses('RESOLUTION_REQUIRED', 'C2');
  });

  it('C2: a suspended proposal is not suspended twice', () => {
    proposal
      .given(suspended())
      .when(orderCorrection('order-2'))
      .thenRefuses('PROPOSAL_SUSPENDED', 'C2');
  });

  it('C2: a proposal before its new meeting waits for the decision', () => {
    proposal
      .given(recorded(...reviewed(), table(), resolve(failed()), retable()))
      .when(orderCorrection())
      .thenRefuses('STEP_OUT_OF_ORDER', 'C2');
  });

  it('C2: a new order on the new resolution needs a new id', () => {
    const lifted = recorded(...publishedCommands(), orderCorrection(), retable(), revote());
    proposal.given(lifted).when(orderCorrection()).thenRefuses('ALREADY_EXISTS');
    expect(decided(lifted, orderCorrection('order-2', '2026-05-02T09:00:00+08:00'))).toMatchObject([
      { type: 'CorrectionOrdered', data: { meetingId: 'meeting-2' } },
    ]);
  });

  it.each(['orderId', 'auditorId', 'legalBasis'])('refuses an empty %s', (field) => {
    proposal
      .given(published())
      .when(withData(orderCorrection(), { [field]: '' }))
      .thenRefuses('INVALID_INPUT');
  });
});
