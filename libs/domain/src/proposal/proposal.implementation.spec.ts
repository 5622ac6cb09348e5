import { DEFAULT_PRACTICE } from '../rule-book/vcol-2018';
import { specification } from '../testing/given-when-then';
import { proposalDecider } from './proposal.decider';
import {
  decided,
  failed,
  ITEM_ID,
  MEETING_ID,
  PROPOSAL_ID,
  PUBLISHED_AT,
  passed,
  passedByRepresentatives,
  publish,
  publishedCommands,
  publishResults,
  quorumLost,
  REPORTED_AT,
  RESULTS_AT,
  recorded,
  report,
  resolve,
  reviewed,
  stateAfter,
  table,
  withData,
} from './proposal.fixtures';

const proposal = specification(proposalDecider);
const resolvedBy = (decision = passed()) =>
  recorded(...reviewed(decision.matter), table(decision.body), resolve(decision));
const published = (decision = passed()) => recorded(...publishedCommands(decision));
const LIVE = { authorisationId: 'authorisation-1', live: true };

describe('publishing the resolution (step 5, 决议公开)', () => {
  it('P2: records the notice and when a major matter’s resolution was due', () => {
    proposal
      .given(resolvedBy())
      .when(publish())
      .then([
        {
          type: 'ResolutionPublished',
          data: {
            proposalId: PROPOSAL_ID,
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            publishedAt: PUBLISHED_AT,
            notice: 'Posted on the village affairs board and in the village WeChat group',
            major: true,
            dueBy: '2026-03-31T03:00:00.000Z',
            late: false,
            ruleBook: 'VCOL-2018',
            rules: ['P1', 'P2', 'F1'],
            at: PUBLISHED_AT,
          },
        },
      ]);
  });

  it.each([
    ['2026-03-31T10:59:00+08:00', false],
    ['2026-03-31T11:00:00+08:00', false],
    ['2026-03-31T11:01:00+08:00', true],
  ])('P2: a major matter’s resolution published at %s is late: %s', (publishedAt, late) => {
    expect(decided(resolvedBy(), publish(publishedAt))).toMatchObject([{ data: { late } }]);
  });

  it('P2: an ordinary matter’s resolution is due by the end of the quarter', () => {
    expect(decided(resolvedBy(passed({ matter: 'OTHER' })), publish())).toMatchObject([
      { data: { major: false, dueBy: '2026-03-31T15:59:59.999Z', late: false } },
    ]);
  });

  it('P2: the village sets the days for a major matter', () => {
    const practice = { ...DEFAULT_PRACTICE, majorMatterPublicationDays: 7 };
    expect(
      decided(resolvedBy(), withData(publish('2026-04-02T09:00:00+08:00'), { practice })),
    ).toMatchObject([{ data: { dueBy: '2026-04-04T03:00:00.000Z', late: false } }]);
  });

  it('P1: a rejected proposal’s resolution is published too', () => {
    proposal
      .given(resolvedBy(failed()))
      .when(publish())
      .thenMatches([{ type: 'ResolutionPublished' }]);
  });

  it('is at step RESOLUTION_PUBLISHED', () => {
    expect(stateAfter(published()).step).toBe('RESOLUTION_PUBLISHED');
  });

  it('F1: no resolution is published before the proposal is resolved', () => {
    proposal
      .given(recorded(...reviewed(), table()))
      .when(publish())
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a lost quorum is not published as a resolution', () => {
    proposal.given(resolvedBy(quorumLost())).when(publish()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a resolution is published once', () => {
    proposal.given(published()).when(publish()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a notice dated before the decision is out of order', () => {
    proposal
      .given(resolvedBy())
      .when(publish('2026-03-28T10:00:00+08:00', PUBLISHED_AT))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it.each([
    ['notice', ''],
    ['publishedAt', '2026-03-30T09:00:00+08:00'],
    ['publishedAt', 'yesterday'],
    ['practice', { ...DEFAULT_PRACTICE, majorMatterPublicationDays: -1 }],
  ])('refuses a malformed %s', (field, value) => {
    proposal
      .given(resolvedBy())
      .when(withData(publish(), { [field]: value }))
      .thenRefuses('INVALID_INPUT');
  });
});

describe('reporting implementation', () => {
  it('M1: a passed villagers’ assembly resolution lets collective income use be reported implemented', () => {
    proposal
      .given(published())
      .when(report())
      .then([
        {
          type: 'ImplementationReported',
          data: {
            proposalId: PROPOSAL_ID,
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            summary: 'Lane resurfaced, 1.2 km; 176,400 yuan paid to the contractor',
            ruleBook: 'VCOL-2018',
            rules: ['F1', 'M1'],
            at: REPORTED_AT,
          },
        },
      ]);
  });

  it('M1: collective income use cannot be reported implemented without a passed assembly resolution', () => {
    proposal.given(published(failed())).when(report()).thenRefuses('RESOLUTION_REQUIRED', 'M1');
  });

  it('M1: collective income use cannot be reported implemented before any vote', () => {
    proposal
      .given(recorded(...reviewed()))
      .when(report())
      .thenRefuses('RESOLUTION_REQUIRED', 'M1');
  });

  it('F1: an ordinary matter that was not passed is not carried out', () => {
    proposal
      .given(published(failed({ matter: 'OTHER' })))
      .when(report())
      .thenRefuses('RESOLUTION_REQUIRED', 'F1');
  });

  it('M2: a representatives’ assembly resolution with a live authorisation lets an M1 matter be implemented', () => {
    expect(decided(published(passedByRepresentatives()), report(LIVE))).toMatchObject([
      {
        type: 'ImplementationReported',
        data: { authorisationId: 'authorisation-1', rules: ['F1', 'M1', 'M2'] },
      },
    ]);
  });

  it.each([
    ['no authorisation', undefined],
    ['an authorisation no longer live', { authorisationId: 'authorisation-1', live: false }],
  ])(
    'M2: a representatives’ assembly resolution with %s cannot let an M1 matter be implemented',
    (_, authorisation) => {
      proposal
        .given(published(passedByRepresentatives()))
        .when(report(authorisation))
        .thenRefuses('RESOLUTION_REQUIRED', 'M1');
    },
  );

  it('M2: an ordinary matter decided by the representatives’ assembly needs no authorisation', () => {
    const [reported] = proposal
      .given(published(passedByRepresentatives({ matter: 'OTHER' })))
      .when(report(LIVE))
      .events();
    expect(reported?.data).toMatchObject({ rules: ['F1'] });
    expect(reported?.data).not.toHaveProperty('authorisationId');
  });

  it('F1: implementation cannot be reported before the resolution is published', () => {
    proposal.given(resolvedBy()).when(report()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('is at step IMPLEMENTED, and takes further progress reports', () => {
    const history = recorded(...publishedCommands(), report());
    expect(stateAfter(history).step).toBe('IMPLEMENTED');
    proposal
      .given(history)
      .when(report())
      .thenMatches([{ type: 'ImplementationReported' }]);
  });

  it.each([
    ['summary', ''],
    ['authorisation', { authorisationId: '', live: true }],
    ['authorisation', { authorisationId: 'authorisation-1', live: 'yes' }],
  ])('refuses a malformed %s', (field, value) => {
    proposal
      .given(published())
      .when(withData(report(), { [field]: value }))
      .thenRefuses('INVALID_INPUT');
  });
});

describe('publishing the results (step 6, 实施结果公开)', () => {
  const implemented = () => recorded(...publishedCommands(), report());

  it('P1: records the notice of the results', () => {
    proposal
      .given(implemented())
      .when(publishResults())
      .then([
        {
          type: 'ImplementationResultsPublished',
          data: {
            proposalId: PROPOSAL_ID,
            meetingId: MEETING_ID,
            itemId: ITEM_ID,
            publishedAt: RESULTS_AT,
            notice: 'Accounts of the lane works posted on the village affairs board',
            ruleBook: 'VCOL-2018',
            rules: ['P1', 'F1'],
            at: RESULTS_AT,
          },
        },
      ]);
  });

  it('is at step RESULTS_PUBLISHED', () => {
    expect(stateAfter(recorded(...publishedCommands(), report(), publishResults())).step).toBe(
      'RESULTS_PUBLISHED',
    );
  });

  it('F1: results cannot be published before implementation is reported', () => {
    proposal.given(published()).when(publishResults()).thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: results dated before the resolution’s publication are out of order', () => {
    proposal
      .given(implemented())
      .when(withData(publishResults(), { publishedAt: '2026-03-29T08:00:00+08:00' }))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it.each([
    ['a second publication of the results', publishResults()],
    ['a report after the results', report()],
  ])('F1: refuses %s', (_, command) => {
    proposal
      .given(recorded(...publishedCommands(), report(), publishResults()))
      .when(command)
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('refuses an empty notice', () => {
    proposal
      .given(implemented())
      .when(withData(publishResults(), { notice: ' ' }))
      .thenRefuses('INVALID_INPUT');
  });
});

describe('village rules (村规民约)', () => {
  it("C1: village rules passed by the villagers' assembly are carried out, under C1", () => {
    const [event] = proposal
      .given(published(passed({ matter: 'VILLAGE_RULES' })))
      .when(report())
      .events();
    expect(event?.data).toMatchObject({ rules: ['F1', 'C1'] });
  });

  it("C1: village rules passed by the representatives' assembly are not, even with an authorisation", () => {
    proposal
      .given(published(passedByRepresentatives({ matter: 'VILLAGE_RULES' })))
      .when(report(LIVE))
      .thenRefuses('RESOLUTION_REQUIRED', 'C1');
  });
});
