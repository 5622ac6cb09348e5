/**
 * The whole of 四议两公开 for one proposal, command by command, as a clerk and a meeting would give
 * them: 提议, 商议, 审议, tabling, 决议, 决议公开, implementation, 实施结果公开.
 */
import type { ItemDecision } from '../shared/vocabulary';
import type { ProposalCommand } from './commands';
import type { ProposalEvent } from './events';
import { proposalDecider } from './proposal.decider';
import type { ProposalState, ProposalStep } from './state';

const proposalId = 'proposal-ponds-2026';
const minutes = (digit: string) => digit.repeat(64);

/** The villagers' assembly decided item 3 of its spring meeting: 150 members, 96 attending. */
const springAssembly: ItemDecision = {
  meetingId: 'meeting-spring-2026',
  itemId: 'item-3',
  proposalId,
  body: 'VILLAGERS_ASSEMBLY',
  matter: 'COLLECTIVE_INCOME_USE',
  outcome: 'PASSED',
  tally: { for: 71, against: 14, abstain: 6, notVoting: 5, attending: 96 },
  members: 150,
  judgements: [
    { ruleId: 'A3', met: true, actual: 96, required: 76, of: 150 },
    { ruleId: 'A4', met: true, actual: 71, required: 49, of: 96 },
  ],
  ruleBook: 'VCOL-2018',
  rules: ['A3', 'A4'],
  decidedAt: '2026-04-18T10:40:00+08:00',
};

const path: readonly [ProposalCommand, ProposalStep][] = [
  [
    {
      type: 'DraftProposal',
      data: {
        proposalId,
        villageId: 'village-xiaogang',
        title: '鱼塘承包收益用于修缮村小学道路',
        body: 'Use 180,000 yuan of this year’s fish-pond income to resurface the school lane.',
        matter: 'COLLECTIVE_INCOME_USE',
        proposer: { kind: 'PARTY_BRANCH' },
        draftedBy: 'clerk-wang',
        at: '2026-03-02T09:00:00+08:00',
      },
    },
    'PROPOSED',
  ],
  [
    {
      type: 'RecordDeliberation',
      data: {
        proposalId,
        step: 'JOINT_COMMITTEES',
        heldAt: '2026-03-09T19:30:00+08:00',
        counts: { members: 9, attending: 8, agreeing: 7 },
        minutesSha256: minutes('a'),
        at: '2026-03-10T08:30:00+08:00',
      },
    },
    'DELIBERATED',
  ],
  [
    {
      type: 'RecordDeliberation',
      data: {
        proposalId,
        step: 'PARTY_MEMBERS',
        heldAt: '2026-03-20T19:30:00+08:00',
        counts: { members: 42, attending: 31, agreeing: 27 },
        minutesSha256: minutes('b'),
        at: '2026-03-21T08:30:00+08:00',
      },
    },
    'REVIEWED',
  ],
  [
    {
      type: 'TableProposal',
      data: {
        proposalId,
        meetingId: 'meeting-spring-2026',
        itemId: 'item-3',
        body: 'VILLAGERS_ASSEMBLY',
        at: '2026-03-25T09:00:00+08:00',
      },
    },
    'TABLED',
  ],
  [
    {
      type: 'RecordResolution',
      data: { proposalId, decision: springAssembly, at: '2026-04-18T10:41:00+08:00' },
    },
    'RESOLVED',
  ],
  [
    {
      type: 'PublishResolution',
      data: {
        proposalId,
        publishedAt: '2026-04-19T08:00:00+08:00',
        notice: minutes('c'),
        at: '2026-04-19T08:05:00+08:00',
      },
    },
    'RESOLUTION_PUBLISHED',
  ],
  [
    {
      type: 'ReportImplementation',
      data: {
        proposalId,
        summary: 'Lane resurfaced; 176,400 yuan paid against the contract',
        at: '2026-06-30T17:00:00+08:00',
      },
    },
    'IMPLEMENTED',
  ],
  [
    {
      type: 'PublishImplementationResults',
      data: {
        proposalId,
        publishedAt: '2026-07-01T08:00:00+08:00',
        notice: 'Accounts of the works posted on the village affairs board',
        at: '2026-07-01T08:10:00+08:00',
      },
    },
    'RESULTS_PUBLISHED',
  ],
];

describe('a proposal through 四议两公开', () => {
  it('F1: goes from 提议 to 实施结果公开 in order, one step per command', () => {
    let state: ProposalState = proposalDecider.initialState();
    const events: ProposalEvent[] = [];
    const steps: (ProposalStep | undefined)[] = [];
    for (const [command] of path) {
      const decided = proposalDecider.decide(command, state);
      state = decided.reduce(proposalDecider.evolve, state);
      events.push(...decided);
      steps.push(state.step);
    }

    expect(events.map((event) => event.type)).toEqual([
      'ProposalDrafted',
      'DeliberationRecorded',
      'DeliberationRecorded',
      'ProposalTabled',
      'ProposalResolved',
      'ResolutionPublished',
      'ImplementationReported',
      'ImplementationResultsPublished',
    ]);
    expect(steps).toEqual(path.map(([, step]) => step));
    expect(state.step).toBe('RESULTS_PUBLISHED');
    expect(events.every((event) => event.data.proposalId === proposalId)).toBe(true);
    expect(state.resolutions).toMatchObject([
      {
        outcome: 'PASSED',
        publication: { late: false },
        implementationReports: [{ reportedAt: '2026-06-30T17:00:00+08:00' }],
        resultsPublication: { publishedAt: '2026-07-01T08:00:00+08:00' },
      },
    ]);
  });

  // Each command after the draft, left out: the one after it must then be refused.
  it.each(path.slice(1, -1).map(([, step], index) => [step, index + 1] as const))(
    'F1: the path does not go on without reaching %s',
    (_, skipped) => {
      const state = path
        .slice(0, skipped)
        .reduce(
          (current, [command]) =>
            proposalDecider.decide(command, current).reduce(proposalDecider.evolve, current),
          proposalDecider.initialState(),
        );
      const [next] = path[skipped + 1] as [ProposalCommand, ProposalStep];
      expect(() => proposalDecider.decide(next, state)).toThrow(
        expect.objectContaining({ code: 'STEP_OUT_OF_ORDER', ruleId: 'F1' }),
      );
    },
  );
});
