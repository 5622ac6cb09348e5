import { atLeast, moreThan } from '../rule-book/threshold';
import { DEFAULT_PRACTICE, RULE_BOOK_VERSION, type VillagePractice } from '../rule-book/vcol-2018';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { SetPractice } from './commands';
import { villageDecider } from './village.decider';
import { AT, recorded, registerVillage, VILLAGE } from './village.fixtures';

const village = specification(villageDecider);

const setPractice = (practice: VillagePractice): SetPractice => ({
  type: 'SetPractice',
  data: { villageId: VILLAGE, practice, at: AT },
});

/** A province with a cap of 2 proxies, changeable votes, and 60% attendance at Party meetings. */
const PROVINCIAL: VillagePractice = {
  ...DEFAULT_PRACTICE,
  proxyCap: 2,
  votesMayChangeBeforeClose: true,
  partyMeetingAttendance: atLeast(3, 5),
};

describe("a village's practice values", () => {
  it('start as the rule book defaults', () => {
    expect(fold(villageDecider, recorded(registerVillage())).practice).toEqual(DEFAULT_PRACTICE);
  });

  it('E4 F2: are set for the village as a whole and read back from its state', () => {
    village
      .given(recorded(registerVillage()))
      .when(setPractice(PROVINCIAL))
      .then([
        {
          type: 'PracticeSet',
          data: { villageId: VILLAGE, practice: PROVINCIAL, ruleBook: RULE_BOOK_VERSION, at: AT },
        },
      ]);
    const state = fold(villageDecider, recorded(registerVillage(), setPractice(PROVINCIAL)));
    expect(state.practice).toEqual(PROVINCIAL);
  });

  it.each([
    ['a proxy cap of 0', { proxyCap: 0 }],
    ['a fractional publication deadline', { majorMatterPublicationDays: 1.5 }],
    ['a threshold above 1', { partyMeetingAgreement: moreThan(3, 2) }],
    [
      'a comparison the law does not use',
      { partyMeetingAttendance: { numerator: 2, denominator: 3, comparison: 'LT' } },
    ],
    ['a missing flag', { votesMayChangeBeforeClose: undefined }],
  ])('refuse %s', (_, change) => {
    village
      .given(recorded(registerVillage()))
      .when(setPractice({ ...DEFAULT_PRACTICE, ...change } as unknown as VillagePractice))
      .thenRefuses('INVALID_INPUT');
  });

  it('are refused for a village that is not registered', () => {
    village.given([]).when(setPractice(DEFAULT_PRACTICE)).thenRefuses('NOT_FOUND');
  });
});
