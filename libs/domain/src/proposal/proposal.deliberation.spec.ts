import { atLeast } from '../rule-book/threshold';
import { DEFAULT_PRACTICE } from '../rule-book/vcol-2018';
import { specification } from '../testing/given-when-then';
import { proposalDecider } from './proposal.decider';
import {
  AGREED_JOINT,
  decided,
  deliberate,
  draft,
  JOINT_HELD_AT,
  JOINT_RECORDED_AT,
  MINUTES,
  PROPOSAL_ID,
  recorded,
  stateAfter,
  table,
  withData,
} from './proposal.fixtures';

const proposal = specification(proposalDecider);
const drafted = () => recorded(draft());
const deliberated = () => recorded(draft(), deliberate('JOINT_COMMITTEES'));
const partyMeeting = (members: number, attending: number, agreeing: number) =>
  deliberate('PARTY_MEMBERS', { members, attending, agreeing });

describe('step 2, 商议: the joint meeting of the two committees', () => {
  it('F1: records the sitting with its counts, minutes’ hash and judgement', () => {
    proposal
      .given(drafted())
      .when(deliberate('JOINT_COMMITTEES'))
      .then([
        {
          type: 'DeliberationRecorded',
          data: {
            proposalId: PROPOSAL_ID,
            step: 'JOINT_COMMITTEES',
            heldAt: JOINT_HELD_AT,
            counts: AGREED_JOINT,
            minutesSha256: MINUTES,
            agreed: true,
            judgements: [{ ruleId: 'F1', met: true, actual: 7, required: 5, of: 9 }],
            ruleBook: 'VCOL-2018',
            rules: ['F1'],
            at: JOINT_RECORDED_AT,
          },
        },
      ]);
  });

  it.each([
    [3, false],
    [4, false],
    [5, true],
  ])('F1: %i of 8 attending agreeing: agreed is %s (more than half)', (agreeing, agreed) => {
    expect(
      decided(drafted(), deliberate('JOINT_COMMITTEES', { members: 9, attending: 8, agreeing })),
    ).toMatchObject([{ data: { agreed } }]);
  });

  it('is at step DELIBERATED once the joint meeting agrees', () => {
    expect(stateAfter(deliberated()).step).toBe('DELIBERATED');
  });

  it('F1: a joint meeting that did not agree can sit again', () => {
    const disagreed = deliberate('JOINT_COMMITTEES', { members: 9, attending: 9, agreeing: 4 });
    const history = recorded(draft(), disagreed);
    expect(stateAfter(history).step).toBe('PROPOSED');
    expect(decided(history, deliberate('JOINT_COMMITTEES'))).toMatchObject([
      { type: 'DeliberationRecorded', data: { agreed: true } },
    ]);
  });

  it('F1: a joint meeting that agreed does not sit again', () => {
    proposal
      .given(deliberated())
      .when(deliberate('JOINT_COMMITTEES'))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });
});

describe('step 3, 审议: the Party members’ meeting', () => {
  it('F2: 2/3 of Party members attending with more than half agreeing passes step 3', () => {
    expect(decided(deliberated(), partyMeeting(30, 20, 11))).toMatchObject([
      {
        type: 'DeliberationRecorded',
        data: {
          step: 'PARTY_MEMBERS',
          agreed: true,
          judgements: [
            { ruleId: 'F2', met: true, actual: 20, required: 20, of: 30 },
            { ruleId: 'F2', met: true, actual: 11, required: 11, of: 20 },
          ],
          ruleBook: 'VCOL-2018',
          rules: ['F1', 'F2'],
        },
      },
    ]);
  });

  it.each([
    [19, false],
    [20, true],
    [21, true],
  ])('F2: %i of 30 Party members attending, all agreeing: agreed is %s', (attending, agreed) => {
    expect(decided(deliberated(), partyMeeting(30, attending, attending))).toMatchObject([
      { data: { agreed } },
    ]);
  });

  it.each([
    [9, false],
    [10, false],
    [11, true],
  ])('F2: %i of 20 attending agreeing: agreed is %s', (agreeing, agreed) => {
    expect(decided(deliberated(), partyMeeting(30, 20, agreeing))).toMatchObject([
      { data: { agreed } },
    ]);
  });

  it('F2: the village’s own practice sets the thresholds', () => {
    const practice = { ...DEFAULT_PRACTICE, partyMeetingAttendance: atLeast(1, 2) };
    expect(decided(deliberated(), withData(partyMeeting(30, 15, 8), { practice }))).toMatchObject([
      {
        data: {
          agreed: true,
          judgements: [
            { ruleId: 'F2', met: true, actual: 15, required: 15, of: 30 },
            { ruleId: 'F2', met: true, actual: 8, required: 8, of: 15 },
          ],
        },
      },
    ]);
  });

  it('is at step REVIEWED once the Party members agree, and stays DELIBERATED when they do not', () => {
    const reviewed = recorded(draft(), deliberate('JOINT_COMMITTEES'), partyMeeting(30, 20, 11));
    const notReviewed = recorded(draft(), deliberate('JOINT_COMMITTEES'), partyMeeting(30, 19, 19));
    expect(stateAfter(reviewed).step).toBe('REVIEWED');
    expect(stateAfter(notReviewed).step).toBe('DELIBERATED');
  });

  it('F1: the Party members cannot review before step 2 is on record', () => {
    proposal
      .given(drafted())
      .when(partyMeeting(30, 24, 20))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: the Party members cannot review what the joint meeting did not agree', () => {
    const disagreed = deliberate('JOINT_COMMITTEES', { members: 9, attending: 9, agreeing: 4 });
    proposal
      .given(recorded(draft(), disagreed))
      .when(partyMeeting(30, 24, 20))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F1: a Party members’ meeting held before the joint meeting is out of order', () => {
    proposal
      .given(deliberated())
      .when(withData(partyMeeting(30, 24, 20), { heldAt: '2026-03-04T19:00:00+08:00' }))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });

  it('F2: a review that did not pass can sit again', () => {
    expect(
      decided(
        recorded(draft(), deliberate('JOINT_COMMITTEES'), partyMeeting(30, 19, 19)),
        partyMeeting(30, 24, 20),
      ),
    ).toMatchObject([{ data: { step: 'PARTY_MEMBERS', agreed: true } }]);
  });

  it('F1: no sitting is recorded once the proposal has been tabled', () => {
    const practice = { ...DEFAULT_PRACTICE, fourDeliberationsRequired: false };
    proposal
      .given(recorded(draft(), withData(table(), { practice })))
      .when(deliberate('JOINT_COMMITTEES'))
      .thenRefuses('STEP_OUT_OF_ORDER', 'F1');
  });
});

describe('the record of a sitting', () => {
  it('keeps the minutes’ hash in lower case', () => {
    expect(
      decided(
        drafted(),
        withData(deliberate('JOINT_COMMITTEES'), { minutesSha256: MINUTES.toUpperCase() }),
      ),
    ).toMatchObject([{ data: { minutesSha256: MINUTES } }]);
  });

  it.each([
    ['step', 'VILLAGE_GROUP'],
    ['minutesSha256', MINUTES.slice(1)],
    ['minutesSha256', `${MINUTES.slice(1)}g`],
    ['heldAt', '2026-03-05'],
    ['heldAt', '2026-03-07T09:00:00+08:00'],
    ['counts', { members: 9, attending: 10, agreeing: 5 }],
    ['counts', { members: 9, attending: 8, agreeing: 9 }],
    ['counts', { members: 0, attending: 0, agreeing: 0 }],
    ['counts', { members: 9, attending: -1, agreeing: 0 }],
    ['counts', { members: 9, attending: 8.5, agreeing: 5 }],
    ['counts', undefined],
    [
      'practice',
      {
        ...DEFAULT_PRACTICE,
        partyMeetingAgreement: { numerator: 1, denominator: 0, comparison: 'GT' },
      },
    ],
    ['practice', { ...DEFAULT_PRACTICE, fourDeliberationsRequired: 'yes' }],
  ])('refuses a malformed %s (%j)', (field, value) => {
    proposal
      .given(drafted())
      .when(withData(deliberate('JOINT_COMMITTEES'), { [field]: value }))
      .thenRefuses('INVALID_INPUT');
  });
});
