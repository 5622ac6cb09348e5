import { specification } from '../testing/given-when-then';
import type { RollEntry } from './commands';
import { meetingDecider } from './meeting.decider';
import {
  adults,
  agendaItem,
  assembly,
  checkIn,
  convene,
  history,
  MEETING_DATE,
  MEETING_ID,
  NOTICE_AT,
  open,
  openAssembly,
  SCHEDULED_AT,
  VILLAGE_ID,
} from './meeting.fixtures';

const meeting = specification(meetingDecider);
const DAY = 24 * 60 * 60 * 1000;
const noticeGiven = (instant: string, millis: number) =>
  new Date(Date.parse(instant) - millis).toISOString();

describe('convening a meeting', () => {
  it('A2: records the notice judgement, the rule book and the practice on votes changing', () => {
    meeting
      .given([])
      .when(convene())
      .then([
        {
          type: 'MeetingConvened',
          data: {
            meetingId: MEETING_ID,
            villageId: VILLAGE_ID,
            body: 'VILLAGERS_ASSEMBLY',
            quorumBasis: 'MEMBERS',
            scheduledAt: SCHEDULED_AT,
            noticeAt: NOTICE_AT,
            agenda: [agendaItem('item-1'), agendaItem('item-2', 'LAND_CONTRACTING_PLAN')],
            convenedBy: { kind: 'COMMITTEE' },
            votesMayChangeBeforeClose: false,
            judgements: [
              { ruleId: 'A2', met: true, actual: 14 * DAY, required: 10 * DAY, of: 10 * DAY },
            ],
            ruleBook: 'VCOL-2018',
            rules: ['A2'],
            at: NOTICE_AT,
          },
        },
      ]);
  });

  it('A2: 9 days 23 hours of notice is refused', () => {
    const noticeAt = noticeGiven(SCHEDULED_AT, 10 * DAY - 60 * 60 * 1000);
    meeting
      .given([])
      .when(convene('VILLAGERS_ASSEMBLY', { noticeAt, at: noticeAt }))
      .thenRefuses('NOTICE_TOO_SHORT', 'A2');
  });

  it('A2: exactly 10 days of notice is accepted', () => {
    const noticeAt = noticeGiven(SCHEDULED_AT, 10 * DAY);
    expect(
      meeting
        .given([])
        .when(convene('VILLAGERS_ASSEMBLY', { noticeAt, at: noticeAt }))
        .events(),
    ).toMatchObject([{ type: 'MeetingConvened', data: { noticeAt } }]);
  });

  it("R3: the representatives' assembly has no statutory notice period", () => {
    const noticeAt = noticeGiven(SCHEDULED_AT, DAY);
    expect(
      meeting
        .given([])
        .when(convene('REPRESENTATIVES_ASSEMBLY', { noticeAt, at: noticeAt }))
        .events(),
    ).toMatchObject([{ type: 'MeetingConvened', data: { judgements: [], rules: ['R3'] } }]);
  });

  it('A2: a petition that has reached its threshold convenes the assembly', () => {
    const convenedBy = {
      kind: 'PETITION',
      petitionId: 'petition-1',
      thresholdReached: true,
    } as const;
    expect(
      meeting.given([]).when(convene('VILLAGERS_ASSEMBLY', { convenedBy })).events(),
    ).toMatchObject([{ type: 'MeetingConvened', data: { convenedBy } }]);
  });

  it('A2: a petition short of its threshold cannot convene the assembly', () => {
    const convenedBy = {
      kind: 'PETITION',
      petitionId: 'petition-1',
      thresholdReached: false,
    } as const;
    meeting
      .given([])
      .when(convene('VILLAGERS_ASSEMBLY', { convenedBy }))
      .thenRefuses('NOT_CONVENED_BY_COMMITTEE_OR_PETITION', 'A2');
  });

  it('R3: a petition short of its threshold cannot convene the representatives', () => {
    const convenedBy = {
      kind: 'PETITION',
      petitionId: 'petition-1',
      thresholdReached: false,
    } as const;
    meeting
      .given([])
      .when(convene('REPRESENTATIVES_ASSEMBLY', { convenedBy }))
      .thenRefuses('NOT_CONVENED_BY_COMMITTEE_OR_PETITION', 'R3');
  });

  it('records that votes may change when the village allows it', () => {
    expect(
      meeting
        .given([])
        .when(convene('VILLAGERS_ASSEMBLY', { votesMayChangeBeforeClose: true }))
        .events(),
    ).toMatchObject([{ type: 'MeetingConvened', data: { votesMayChangeBeforeClose: true } }]);
  });

  it.each([
    ['households as the quorum basis of the representatives', { quorumBasis: 'HOUSEHOLDS' }],
    ['an empty agenda', { agenda: [] }],
    ['an agenda item twice', { agenda: [agendaItem('x'), agendaItem('x')] }],
    ['an unknown matter', { agenda: [{ ...agendaItem(), matter: 'LOTTERY' }] }],
    ['a notice not yet given', { noticeAt: SCHEDULED_AT }],
    ['a meeting in the past', { at: SCHEDULED_AT }],
    ['a malformed instant', { scheduledAt: '2026-03-15 09:00' }],
    ['an unknown convener', { convenedBy: { kind: 'TOWNSHIP' } }],
  ])('refuses %s as invalid input', (_, overrides) => {
    meeting
      .given([])
      .when(convene('REPRESENTATIVES_ASSEMBLY', overrides as never))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses to convene the same meeting twice', () => {
    meeting.given(history(convene())).when(convene()).thenRefuses('ALREADY_EXISTS');
  });
});

describe('opening a meeting freezes the roll', () => {
  const born = (villagerId: string, birthDate: string): RollEntry => ({
    villagerId,
    householdId: 'h1',
    birthDate,
    gender: 'FEMALE',
  });

  it('A1: a villager who turns 18 on the meeting date is a member; the day after is not', () => {
    const roll = [
      born('adult', '1980-01-01'),
      born('today', '2008-03-15'),
      born('tmrw', '2008-03-16'),
    ];
    meeting
      .given(history(convene()))
      .when(open(roll))
      .then([
        {
          type: 'MeetingOpened',
          data: {
            meetingId: MEETING_ID,
            meetingDate: MEETING_DATE,
            members: ['adult', 'today'],
            representatives: [],
            households: ['h1'],
            householdRepresentatives: { h1: 'adult' },
            judgements: [],
            ruleBook: 'VCOL-2018',
            rules: ['A1'],
            at: SCHEDULED_AT,
          },
        },
      ]);
    meeting
      .given(history(convene(), open(roll)))
      .when(checkIn('tmrw'))
      .thenRefuses('NOT_ON_ROLL');
  });

  it('A3: every household on the roll is frozen, with its representative that day', () => {
    const roll = adults(6, 3);
    expect(
      meeting
        .given(history(convene()))
        .when(open(roll, { householdRepresentatives: { h1: 'v2' } }))
        .events(),
    ).toMatchObject([
      { data: { households: ['h1', 'h2'], householdRepresentatives: { h1: 'v2' } } },
    ]);
  });

  it('refuses to open before the scheduled time', () => {
    meeting
      .given(history(convene()))
      .when(open(adults(3), { at: '2026-03-15T08:59:00+08:00' }))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });

  it('refuses a roll that is not of the meeting date', () => {
    meeting
      .given(history(convene()))
      .when(open(adults(3), { rollDate: '2026-03-14' }))
      .thenRefuses('INVALID_INPUT');
  });

  it.each([
    ['an empty roll', { villagers: [] }],
    ['a villager twice', { villagers: [...adults(2), ...adults(1)] }],
    ['a representative from another household', { householdRepresentatives: { h1: 'v2' } }],
    ['a representative not on the roll', { householdRepresentatives: { h1: 'nobody' } }],
  ])('refuses %s as invalid input', (_, overrides) => {
    meeting
      .given(history(convene()))
      .when(open(adults(3), overrides as never))
      .thenRefuses('INVALID_INPUT');
  });

  it('refuses to open a meeting that was never convened', () => {
    meeting
      .given([])
      .when(open(adults(3)))
      .thenRefuses('NOT_FOUND');
  });

  it('refuses to open a meeting twice', () => {
    meeting
      .given(history(convene(), open(adults(3))))
      .when(open(adults(3)))
      .thenRefuses('STEP_OUT_OF_ORDER');
  });
});

describe("opening the representatives' assembly", () => {
  const convened = () => history(convene('REPRESENTATIVES_ASSEMBLY'));

  it("R1: a representatives' assembly with 32% women cannot open", () => {
    meeting
      .given(convened())
      .when(openAssembly(25, { women: 8 }))
      .thenRefuses('ASSEMBLY_COMPOSITION_INVALID', 'R1');
  });

  it('R1: with 9 women of 25 (at least 1/3) it opens, recording both judgements', () => {
    expect(
      meeting
        .given(convened())
        .when(openAssembly(25, { women: 9 }))
        .events(),
    ).toMatchObject([
      {
        data: {
          members: assembly(25, { women: 9 }).seats.map((seat) => seat.villagerId),
          households: [],
          judgements: [
            { ruleId: 'R1', met: true, actual: 25, required: 20, of: 25 },
            { ruleId: 'R1', met: true, actual: 9, required: 9, of: 25 },
          ],
          rules: ['R1'],
        },
      },
    ]);
  });

  it('R1: representatives one short of 4/5 of the members cannot open', () => {
    meeting
      .given(convened())
      .when(openAssembly(25, { women: 9, committeeOnly: 6 }))
      .thenRefuses('ASSEMBLY_COMPOSITION_INVALID', 'R1');
  });

  it('R1: representatives exactly 4/5 of the members open', () => {
    expect(
      meeting
        .given(convened())
        .when(openAssembly(25, { women: 9, committeeOnly: 5 }))
        .events(),
    ).toMatchObject([{ type: 'MeetingOpened' }]);
  });

  it('R1: a woman who sits only as a committee member does not count toward the third', () => {
    const { villagers, seats } = assembly(24, { women: 8 });
    const committeeWoman = { villagerId: 'c1', gender: 'FEMALE' as const, representative: false };
    meeting
      .given(convened())
      .when(
        open([...villagers, { ...committeeWoman, householdId: 'hc', birthDate: '1975-01-01' }], {
          assemblyMembers: [...seats, committeeWoman],
        }),
      )
      .thenRefuses('ASSEMBLY_COMPOSITION_INVALID', 'R1');
  });

  it("refuses seats that are missing or not on that day's roll", () => {
    const { villagers, seats } = assembly(25, { women: 9 });
    meeting.given(convened()).when(open(villagers)).thenRefuses('INVALID_INPUT');
    meeting
      .given(convened())
      .when(open(villagers.slice(1), { assemblyMembers: seats }))
      .thenRefuses('INVALID_INPUT');
  });
});
