/**
 * Rule book VCOL-2018, tested against the rule table of DOMAIN.md (not against the code).
 * Counting: 过半数 = strictly more than half; 以上 includes the number itself.
 */
import { atLeast, moreThan, type Threshold } from './threshold';
import {
  DEFAULT_PRACTICE,
  isM1Matter,
  isM3Matter,
  isOfAge,
  judgeAssemblyDecision,
  judgeAssemblyQuorum,
  judgeCandidate,
  judgeElectionTurnout,
  judgeLandMatterDecision,
  judgeNotice,
  judgePartyMeeting,
  judgePlanNotice,
  judgeRecall,
  judgeRepresentativesAssembly,
  judgeRepresentativesDecision,
  judgeRepresentativesQuorum,
  type PetitionPurpose,
  petitionThreshold,
  proxyAllowed,
  publicationDueBy,
  RULE_BOOK_VERSION,
  RULE_IDS,
  RULES,
  type RuleId,
  representationWarning,
  type VillagePractice,
} from './vcol-2018';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const at = (instant: string) => Date.parse(instant);
const plus = (instant: string, ms: number) => new Date(at(instant) + ms).toISOString();

/** DOMAIN.md's rule table: id → the "source" column. */
const DOMAIN_LAW_RULES: ReadonlyArray<[RuleId, string]> = [
  ['A1', 'Art 21(1)'],
  ['A2', 'Art 21(2)'],
  ['A3', 'Art 22'],
  ['A4', 'Art 22'],
  ['R1', 'Art 25(1)'],
  ['R2', 'Art 25(2)'],
  ['R3', 'Art 26(1)'],
  ['R4', 'Art 26(2)'],
  ['M1', 'Art 24(1)'],
  ['M2', 'Art 24(2)'],
  ['M3', 'Arts 19(3), 28(2), 52'],
  ['M4', 'Arts 18, 22, 26, 48'],
  ['E1', 'Art 13'],
  ['E3', 'Art 15'],
  ['E4', 'Art 15(4)'],
  ['E5', 'Art 16'],
  ['P1', 'Art 30(2)'],
  ['P2', 'Art 30(3)'],
  ['P4', 'Art 32'],
  ['P6', 'Art 35'],
  ['C1', 'Art 27(1)'],
  ['C2', 'Art 27(2)(3)'],
];
const DOMAIN_PRACTICE_RULES: readonly RuleId[] = ['F1', 'F2'];

/** Which law each rule cites, per DOMAIN.md (VCOL unless the source column names another law). */
const lawOf = (id: RuleId): RegExp =>
  id === 'M3' ? /农村土地承包法/ : id === 'M4' ? /城乡规划法/ : /村民委员会组织法/;

/** "Art. 21(1)" and "Art 21(1)" both read "21(1)"; "Arts 19(3), 28(2), 52" reads "19(3),28(2),52". */
const articleNumbers = (article: string) => article.replace(/Arts?\.?/g, '').replace(/\s+/g, '');

const CJK = /[\u3400-\u9fff]/;

/** The Chinese wording of each threshold, by DOMAIN.md's counting rule. */
const FRACTIONS: Record<string, string> = {
  '1/2': '半数',
  '1/3': '三分之一',
  '2/3': '三分之二',
  '1/5': '五分之一',
  '4/5': '五分之四',
  '1/10': '十分之一',
};
const wordingOf = (t: Threshold): string => {
  const fraction = FRACTIONS[`${t.numerator}/${t.denominator}`];
  if (!fraction) throw new Error(`no wording for ${t.numerator}/${t.denominator}`);
  return t.comparison === 'GT' ? `过${fraction}` : `${fraction}以上`;
};

describe('the rule book', () => {
  it('is version VCOL-2018', () => {
    expect(RULE_BOOK_VERSION).toBe('VCOL-2018');
  });

  it("holds exactly DOMAIN.md's law rules and the two practice rules", () => {
    const expected = [...DOMAIN_LAW_RULES.map(([id]) => id), ...DOMAIN_PRACTICE_RULES].sort();
    expect(Object.keys(RULES).sort()).toEqual(expected);
    expect([...RULE_IDS].sort()).toEqual(expected);
  });

  describe.each(DOMAIN_LAW_RULES)('law rule %s', (id, article) => {
    it(`${id}: is in RULES under its own id, as LAW`, () => {
      const rule = RULES[id];
      expect(rule).toBeDefined();
      expect(rule.id).toBe(id);
      expect(rule.kind).toBe('LAW');
      expect(rule.summary.trim()).not.toBe('');
    });

    it(`${id}: cites ${article} of the right law`, () => {
      const { citation } = RULES[id];
      expect(citation.law).toMatch(lawOf(id));
      const expected = articleNumbers(article);
      const actual = articleNumbers(citation.article);
      // The same article, or a sub-paragraph / item of the article DOMAIN.md names.
      expect(actual === expected || actual.startsWith(`${expected}(`)).toBe(true);
    });

    it(`${id}: quotes the Chinese text and glosses it in English`, () => {
      const { citation } = RULES[id];
      expect(citation.text).toMatch(CJK);
      expect(citation.gloss.trim()).not.toBe('');
      expect(citation.gloss).toMatch(/[A-Za-z]{3,}/);
      expect(citation.gloss).not.toMatch(CJK);
    });
  });

  it.each(DOMAIN_LAW_RULES.filter(([id]) => !['M3', 'M4'].includes(id)))(
    '%s: cites the 2018 revision of the Organic Law',
    (id) => {
      expect(RULES[id].citation.law).toMatch(/2018/);
    },
  );

  describe.each(DOMAIN_PRACTICE_RULES)('practice rule %s', (id) => {
    it(`${id}: is in RULES under its own id, as PRACTICE`, () => {
      const rule = RULES[id];
      expect(rule.id).toBe(id);
      expect(rule.kind).toBe('PRACTICE');
    });

    it(`${id}: has a citation with source, place, Chinese text and English gloss`, () => {
      const { citation } = RULES[id];
      expect(citation.law.trim()).not.toBe('');
      expect(citation.article.trim()).not.toBe('');
      expect(citation.law).not.toMatch(/村民委员会组织法/);
      expect(citation.text).toMatch(CJK);
      expect(citation.gloss).toMatch(/[A-Za-z]{3,}/);
      expect(citation.gloss).not.toMatch(CJK);
    });
  });

  /** DOMAIN.md's threshold column, rule by rule. */
  const DOMAIN_THRESHOLDS: ReadonlyArray<[RuleId, Threshold[]]> = [
    ['A2', [atLeast(1, 10), atLeast(1, 3)]],
    ['A3', [moreThan(1, 2), atLeast(2, 3)]],
    ['A4', [moreThan(1, 2)]],
    ['R1', [atLeast(4, 5), atLeast(1, 3)]],
    ['R3', [atLeast(1, 5)]],
    ['R4', [atLeast(2, 3), moreThan(1, 2)]],
    ['M3', [atLeast(2, 3)]],
    ['E3', [moreThan(1, 2), moreThan(1, 2)]],
    ['E5', [atLeast(1, 5), atLeast(1, 3), moreThan(1, 2), moreThan(1, 2)]],
    ['P6', [atLeast(1, 5)]],
    ['F2', [atLeast(2, 3), moreThan(1, 2)]],
  ];

  it.each(DOMAIN_THRESHOLDS)("%s: carries DOMAIN.md's thresholds", (id, thresholds) => {
    const sortKey = (t: Threshold) => `${t.comparison} ${t.numerator}/${t.denominator}`;
    const actual = Object.values(RULES[id].thresholds).map(sortKey).sort();
    expect(actual).toEqual(thresholds.map(sortKey).sort());
  });

  it.each(DOMAIN_THRESHOLDS)(
    '%s: the quoted Chinese words each threshold the way it counts (过半数 is >, 以上 is ≥)',
    (id) => {
      for (const t of Object.values(RULES[id].thresholds)) {
        expect(RULES[id].citation.text).toContain(wordingOf(t));
      }
    },
  );

  it.each([
    ['A1', 'minimumAge', 18, '十八周岁'],
    ['E1', 'minimumAge', 18, '十八周岁'],
    ['A2', 'noticeDays', 10, '十天'],
    ['M4', 'publicNoticeDays', 30, '三十日'],
    ['R2', 'fewestHouseholdsPerRepresentative', 5, '五户'],
    ['R2', 'mostHouseholdsPerRepresentative', 15, '十五户'],
  ] as const)('%s: quantity %s is %d, as the text says (%s)', (id, name, value, words) => {
    expect(RULES[id].quantities[name]).toBe(value);
    expect(RULES[id].citation.text).toContain(words);
  });
});

describe('A1 / E1: age', () => {
  it('A1: a villager turning 18 on the meeting date is a member', () => {
    expect(isOfAge('2008-06-15', '2026-06-15')).toBe(true);
  });

  it('A1: one day short of 18 is not', () => {
    expect(isOfAge('2008-06-15', '2026-06-14')).toBe(false);
  });

  it('A1: older villagers are members, and the year alone does not decide', () => {
    expect(isOfAge('1950-01-01', '2026-06-15')).toBe(true);
    expect(isOfAge('2008-12-31', '2026-01-01')).toBe(false);
    expect(isOfAge('2008-01-01', '2026-12-31')).toBe(true);
  });

  it('A1: someone born on 29 February is 18 by 1 March of a common year, not on 27 February', () => {
    expect(isOfAge('2008-02-29', '2026-03-01')).toBe(true);
    expect(isOfAge('2008-02-29', '2026-02-27')).toBe(false);
  });

  it('E1: 18 on election day may vote', () => {
    expect(isOfAge('2008-11-28', '2026-11-28')).toBe(true);
  });

  it('E1: 17 on election day may not vote', () => {
    expect(isOfAge('2008-11-29', '2026-11-28')).toBe(false);
  });
});

describe('A2: notice and petitions to convene the assembly', () => {
  const meeting = '2026-11-28T09:00:00+08:00';

  it('A2: 9 days 23 hours of notice is too short', () => {
    const judgement = judgeNotice(plus(meeting, -(9 * DAY + 23 * HOUR)), meeting);
    expect(judgement.ruleId).toBe('A2');
    expect(judgement.met).toBe(false);
  });

  it('A2: 10 days is enough', () => {
    const judgement = judgeNotice(plus(meeting, -10 * DAY), meeting);
    expect(judgement.ruleId).toBe('A2');
    expect(judgement.met).toBe(true);
  });

  it('A2: one millisecond short of 10 days is too short', () => {
    expect(judgeNotice(plus(meeting, -10 * DAY + 1), meeting).met).toBe(false);
  });

  it('A2: notice across offsets is measured in real time', () => {
    // 2026-11-18T01:00Z is 09:00 in China: exactly 10 days before.
    expect(judgeNotice('2026-11-18T01:00:00Z', meeting).met).toBe(true);
    expect(judgeNotice('2026-11-18T01:00:01Z', meeting).met).toBe(false);
  });

  it('A2: a villagers’ petition needs 1/10 or more of villagers (10 of 95, 10 of 100, 11 of 101)', () => {
    expect(petitionThreshold('CONVENE_ASSEMBLY', 'VILLAGERS', 95)).toEqual({
      ruleId: 'A2',
      signatories: 'VILLAGERS',
      required: 10,
      of: 95,
    });
    expect(petitionThreshold('CONVENE_ASSEMBLY', 'VILLAGERS', 100).required).toBe(10);
    expect(petitionThreshold('CONVENE_ASSEMBLY', 'VILLAGERS', 101).required).toBe(11);
  });

  it('A2: a representatives’ petition needs 1/3 or more of representatives (10 of 30, 11 of 31)', () => {
    expect(petitionThreshold('CONVENE_ASSEMBLY', 'REPRESENTATIVES', 30)).toEqual({
      ruleId: 'A2',
      signatories: 'REPRESENTATIVES',
      required: 10,
      of: 30,
    });
    expect(petitionThreshold('CONVENE_ASSEMBLY', 'REPRESENTATIVES', 31).required).toBe(11);
  });

  it('A2: a proposed item takes the assembly petition threshold', () => {
    expect(petitionThreshold('PROPOSE_ITEM', 'VILLAGERS', 95)).toEqual({
      ruleId: 'A2',
      signatories: 'VILLAGERS',
      required: 10,
      of: 95,
    });
    expect(petitionThreshold('PROPOSE_ITEM', 'REPRESENTATIVES', 31)).toEqual({
      ruleId: 'A2',
      signatories: 'REPRESENTATIVES',
      required: 11,
      of: 31,
    });
  });
});

describe('A3: assembly quorum', () => {
  it('A3: 50 of 100 members is not a quorum', () => {
    const judgement = judgeAssemblyQuorum('MEMBERS', 50, 100);
    expect(judgement).toEqual({ ruleId: 'A3', met: false, actual: 50, required: 51, of: 100 });
  });

  it('A3: 51 of 100 is', () => {
    const judgement = judgeAssemblyQuorum('MEMBERS', 51, 100);
    expect(judgement).toEqual({ ruleId: 'A3', met: true, actual: 51, required: 51, of: 100 });
  });

  it('A3: 50 of 99 members is a quorum, 49 is not', () => {
    expect(judgeAssemblyQuorum('MEMBERS', 50, 99).met).toBe(true);
    expect(judgeAssemblyQuorum('MEMBERS', 49, 99).met).toBe(false);
  });

  it('A3: exactly 2/3 of households is a quorum', () => {
    const judgement = judgeAssemblyQuorum('HOUSEHOLDS', 60, 90);
    expect(judgement).toEqual({ ruleId: 'A3', met: true, actual: 60, required: 60, of: 90 });
  });

  it('A3: one household short of 2/3 is not', () => {
    expect(judgeAssemblyQuorum('HOUSEHOLDS', 59, 90).met).toBe(false);
    expect(judgeAssemblyQuorum('HOUSEHOLDS', 66, 100).met).toBe(false);
    expect(judgeAssemblyQuorum('HOUSEHOLDS', 67, 100).met).toBe(true);
  });

  it('A3: the household basis is ≥ 2/3, not > 1/2 (51 of 100 households is not a quorum)', () => {
    expect(judgeAssemblyQuorum('HOUSEHOLDS', 51, 100).met).toBe(false);
  });
});

describe('A4: assembly decisions', () => {
  it('A4: 50 FOR of 100 attending fails', () => {
    expect(judgeAssemblyDecision(50, 100)).toEqual({
      ruleId: 'A4',
      met: false,
      actual: 50,
      required: 51,
      of: 100,
    });
  });

  it('A4: 51 passes', () => {
    expect(judgeAssemblyDecision(51, 100)).toEqual({
      ruleId: 'A4',
      met: true,
      actual: 51,
      required: 51,
      of: 100,
    });
  });

  it('A4: the base is those attending — 40 FOR of 79 attending passes even against a roll of 200', () => {
    expect(judgeAssemblyDecision(40, 79).met).toBe(true);
    expect(judgeAssemblyDecision(39, 79).met).toBe(false);
  });
});

describe("R1: make-up of the representatives' assembly", () => {
  it('R1: 32% women fails', () => {
    const [, women] = judgeRepresentativesAssembly({
      members: 100,
      representatives: 90,
      women: 32,
    });
    expect(women.ruleId).toBe('R1');
    expect(women.met).toBe(false);
    expect(women.required).toBe(34);
  });

  it('R1: exactly 1/3 women meets it', () => {
    const [, women] = judgeRepresentativesAssembly({ members: 30, representatives: 25, women: 10 });
    expect(women).toEqual({ ruleId: 'R1', met: true, actual: 10, required: 10, of: 30 });
  });

  it('R1: representatives 4/5 of members meets it', () => {
    const [representatives] = judgeRepresentativesAssembly({
      members: 30,
      representatives: 24,
      women: 10,
    });
    expect(representatives).toEqual({ ruleId: 'R1', met: true, actual: 24, required: 24, of: 30 });
  });

  it('R1: representatives one short of 4/5 fails', () => {
    const [representatives, women] = judgeRepresentativesAssembly({
      members: 30,
      representatives: 23,
      women: 10,
    });
    expect(representatives.met).toBe(false);
    expect(women.met).toBe(true);
  });
});

describe('R2: households per representative', () => {
  it('R2: 16 households per representative warns', () => {
    expect(representationWarning(16, 1)).toEqual(expect.stringMatching(/^R2/));
    expect(representationWarning(160, 10)).toEqual(expect.stringMatching(/^R2/));
  });

  it('R2: 15 does not', () => {
    expect(representationWarning(15, 1)).toBeUndefined();
    expect(representationWarning(150, 10)).toBeUndefined();
  });

  it('R2: 4 warns', () => {
    expect(representationWarning(4, 1)).toEqual(expect.stringMatching(/^R2/));
    expect(representationWarning(49, 10)).toEqual(expect.stringMatching(/^R2/));
  });

  it('R2: 5 does not', () => {
    expect(representationWarning(5, 1)).toBeUndefined();
    expect(representationWarning(50, 10)).toBeUndefined();
  });

  it('R2: a fractional ratio just over 15 warns (31 households, 2 representatives)', () => {
    expect(representationWarning(31, 2)).toEqual(expect.stringMatching(/^R2/));
    expect(representationWarning(30, 2)).toBeUndefined();
  });

  it('R2: no representatives at all warns', () => {
    expect(representationWarning(40, 0)).toEqual(expect.stringMatching(/^R2/));
  });
});

describe("R3: convening the representatives' assembly", () => {
  it('R3: it meets every quarter (4 times a year)', () => {
    expect(RULES.R3.quantities.meetingsPerYear).toBe(4);
  });

  it('R3: a petition needs 1/5 or more of representatives (5 of 25, 6 of 26)', () => {
    expect(petitionThreshold('CONVENE_REPRESENTATIVES', 'REPRESENTATIVES', 25)).toEqual({
      ruleId: 'R3',
      signatories: 'REPRESENTATIVES',
      required: 5,
      of: 25,
    });
    expect(petitionThreshold('CONVENE_REPRESENTATIVES', 'REPRESENTATIVES', 26).required).toBe(6);
  });

  it('R3: villagers cannot petition to convene the representatives’ assembly', () => {
    expect(() => petitionThreshold('CONVENE_REPRESENTATIVES', 'VILLAGERS', 100)).toThrow();
  });
});

describe("R4: representatives' assembly quorum and decisions", () => {
  it('R4: 20 of 30 members is a quorum (exactly 2/3)', () => {
    expect(judgeRepresentativesQuorum(20, 30)).toEqual({
      ruleId: 'R4',
      met: true,
      actual: 20,
      required: 20,
      of: 30,
    });
  });

  it('R4: 19 of 30 is not', () => {
    expect(judgeRepresentativesQuorum(19, 30).met).toBe(false);
  });

  it('R4: 21 of 31 is a quorum, 20 of 31 is not', () => {
    expect(judgeRepresentativesQuorum(21, 31).met).toBe(true);
    expect(judgeRepresentativesQuorum(20, 31).met).toBe(false);
  });

  it('R4: exactly half of attendees FOR fails, more than half passes', () => {
    expect(judgeRepresentativesDecision(10, 20)).toEqual({
      ruleId: 'R4',
      met: false,
      actual: 10,
      required: 11,
      of: 20,
    });
    expect(judgeRepresentativesDecision(11, 20).met).toBe(true);
    expect(judgeRepresentativesDecision(11, 21).met).toBe(true);
    expect(judgeRepresentativesDecision(10, 21).met).toBe(false);
  });
});

describe('M1 / M2 / M3: matters', () => {
  it('M1: the listed matters need an assembly decision', () => {
    for (const matter of [
      'MISSED_WORK_ALLOWANCE',
      'COLLECTIVE_INCOME_USE',
      'PUBLIC_WORKS',
      'LAND_CONTRACTING_PLAN',
      'COLLECTIVE_ECONOMIC_PROJECT',
      'HOMESTEAD_PLAN',
      'LAND_COMPENSATION_ALLOCATION',
      'COLLECTIVE_PROPERTY_DISPOSAL',
    ] as const) {
      expect(isM1Matter(matter)).toBe(true);
    }
    expect(isM1Matter('OTHER')).toBe(false);
    expect(isM1Matter('PLAN_CONSENT')).toBe(false);
  });

  it('M3: land-contracting plans, adjusting contracted land and contracting to outsiders are M3 matters', () => {
    expect(isM3Matter('LAND_CONTRACTING_PLAN')).toBe(true);
    expect(isM3Matter('CONTRACTED_LAND_ADJUSTMENT')).toBe(true);
    expect(isM3Matter('CONTRACTING_TO_OUTSIDERS')).toBe(true);
    expect(isM3Matter('HOMESTEAD_PLAN')).toBe(false);
    expect(isM3Matter('OTHER')).toBe(false);
  });

  it('M3: 2/3 of members boundary — 66 of 99 passes, 65 does not', () => {
    expect(judgeLandMatterDecision(66, 99)).toEqual({
      ruleId: 'M3',
      met: true,
      actual: 66,
      required: 66,
      of: 99,
    });
    expect(judgeLandMatterDecision(65, 99).met).toBe(false);
  });

  it('M3: 2/3 of members boundary — 67 of 100 passes, 66 does not', () => {
    expect(judgeLandMatterDecision(67, 100).met).toBe(true);
    expect(judgeLandMatterDecision(66, 100)).toEqual({
      ruleId: 'M3',
      met: false,
      actual: 66,
      required: 67,
      of: 100,
    });
  });

  it('M3: a simple majority of members (51 of 100) is not enough', () => {
    expect(judgeLandMatterDecision(51, 100).met).toBe(false);
  });
});

describe('M4: plan notice', () => {
  const decided = '2026-11-28T09:00:00+08:00';

  it('M4: 29 days 23 hours of notice fails', () => {
    const judgement = judgePlanNotice(plus(decided, -(29 * DAY + 23 * HOUR)), decided);
    expect(judgement.ruleId).toBe('M4');
    expect(judgement.met).toBe(false);
  });

  it('M4: 30 days meets', () => {
    const judgement = judgePlanNotice(plus(decided, -30 * DAY), decided);
    expect(judgement.ruleId).toBe('M4');
    expect(judgement.met).toBe(true);
  });

  it('M4: more than 30 days meets', () => {
    expect(judgePlanNotice(plus(decided, -45 * DAY), decided).met).toBe(true);
  });
});

describe('E3: elections', () => {
  it('E3: 50 of 100 registered voting is not valid', () => {
    expect(judgeElectionTurnout(50, 100)).toEqual({
      ruleId: 'E3',
      met: false,
      actual: 50,
      required: 51,
      of: 100,
    });
  });

  it('E3: 51 of 100 registered voting is valid', () => {
    expect(judgeElectionTurnout(51, 100).met).toBe(true);
  });

  it('E3: a candidate with exactly half of ballots cast does not win', () => {
    expect(judgeCandidate(40, 80)).toEqual({
      ruleId: 'E3',
      met: false,
      actual: 40,
      required: 41,
      of: 80,
    });
  });

  it('E3: a candidate with one more than half of ballots cast wins', () => {
    expect(judgeCandidate(41, 80).met).toBe(true);
    expect(judgeCandidate(41, 81).met).toBe(true);
    expect(judgeCandidate(40, 81).met).toBe(false);
  });
});

describe('E4: proxies', () => {
  it('E4: the default proxy cap is 3', () => {
    expect(DEFAULT_PRACTICE.proxyCap).toBe(3);
  });

  it('E4: a proxy holding 2 may take a 3rd', () => {
    expect(proxyAllowed(2)).toBe(true);
  });

  it('E4: a proxy holding 3 may not take a 4th', () => {
    expect(proxyAllowed(3)).toBe(false);
  });

  it('E4: a proxy holding none may take one', () => {
    expect(proxyAllowed(0)).toBe(true);
  });

  it('E4: the cap is configurable per province', () => {
    const practice: VillagePractice = { ...DEFAULT_PRACTICE, proxyCap: 1 };
    expect(proxyAllowed(0, practice)).toBe(true);
    expect(proxyAllowed(1, practice)).toBe(false);
    const generous: VillagePractice = { ...DEFAULT_PRACTICE, proxyCap: 5 };
    expect(proxyAllowed(4, generous)).toBe(true);
    expect(proxyAllowed(5, generous)).toBe(false);
  });
});

describe('E5: recall', () => {
  it('E5: a voters’ recall petition needs 1/5 or more of voters (20 of 100, 21 of 101)', () => {
    expect(petitionThreshold('RECALL', 'VILLAGERS', 100)).toEqual({
      ruleId: 'E5',
      signatories: 'VILLAGERS',
      required: 20,
      of: 100,
    });
    expect(petitionThreshold('RECALL', 'VILLAGERS', 101).required).toBe(21);
  });

  it('E5: a representatives’ recall petition needs 1/3 or more of representatives (10 of 30, 11 of 31)', () => {
    expect(petitionThreshold('RECALL', 'REPRESENTATIVES', 30)).toEqual({
      ruleId: 'E5',
      signatories: 'REPRESENTATIVES',
      required: 10,
      of: 30,
    });
    expect(petitionThreshold('RECALL', 'REPRESENTATIVES', 31).required).toBe(11);
  });

  it('E5: recall passes with more than half turnout and more than half of ballots', () => {
    const [turnout, ballots] = judgeRecall(51, 100, 26);
    expect(turnout).toEqual({ ruleId: 'E5', met: true, actual: 51, required: 51, of: 100 });
    expect(ballots).toEqual({ ruleId: 'E5', met: true, actual: 26, required: 26, of: 51 });
  });

  it('E5: half turnout is not enough, however many agree', () => {
    const [turnout, ballots] = judgeRecall(50, 100, 50);
    expect(turnout.met).toBe(false);
    expect(ballots.met).toBe(true);
  });

  it('E5: exactly half of the ballots is not enough', () => {
    const [turnout, ballots] = judgeRecall(60, 100, 30);
    expect(turnout.met).toBe(true);
    expect(ballots.met).toBe(false);
    expect(ballots.required).toBe(31);
  });

  it('E5: the ballot majority is of those voting, not of those registered', () => {
    const [turnout, ballots] = judgeRecall(51, 100, 26);
    expect(turnout.met && ballots.met).toBe(true);
    const [, short] = judgeRecall(51, 100, 25);
    expect(short.met).toBe(false);
  });
});

describe('P2: publication', () => {
  const endOfQuarterWindow = (lastInstant: string, nextQuarterStart: string) => ({
    notBefore: at(lastInstant),
    before: at(nextQuarterStart),
  });

  it("P2: a major matter is due within the practice's days (default 3)", () => {
    expect(DEFAULT_PRACTICE.majorMatterPublicationDays).toBe(3);
    const resolved = '2026-03-31T23:30:00+08:00';
    expect(at(publicationDueBy(resolved, true))).toBe(at(resolved) + 3 * DAY);
  });

  it("P2: a major matter follows the village's own number of days", () => {
    const resolved = '2026-05-10T10:00:00+08:00';
    const practice: VillagePractice = { ...DEFAULT_PRACTICE, majorMatterPublicationDays: 1 };
    expect(at(publicationDueBy(resolved, true, practice))).toBe(at(resolved) + DAY);
  });

  it('P2: an ordinary matter resolved 2026-03-31T23:30+08:00 is due by the end of March, China time', () => {
    const due = at(publicationDueBy('2026-03-31T23:30:00+08:00', false));
    const window = endOfQuarterWindow('2026-03-31T23:59:59+08:00', '2026-04-01T00:00:00+08:00');
    expect(due).toBeGreaterThanOrEqual(window.notBefore);
    expect(due).toBeLessThan(window.before);
  });

  it('P2: an ordinary matter resolved 2026-04-01T00:30+08:00 (still 31 March in UTC) is due by the end of June', () => {
    const due = at(publicationDueBy('2026-04-01T00:30:00+08:00', false));
    const window = endOfQuarterWindow('2026-06-30T23:59:59+08:00', '2026-07-01T00:00:00+08:00');
    expect(due).toBeGreaterThanOrEqual(window.notBefore);
    expect(due).toBeLessThan(window.before);
  });

  it('P2: the same instant written in UTC gives the same due date', () => {
    expect(at(publicationDueBy('2026-03-31T16:30:00Z', false))).toBe(
      at(publicationDueBy('2026-04-01T00:30:00+08:00', false)),
    );
  });

  it('P2: an ordinary matter in the fourth quarter is due by the end of December, China time', () => {
    const due = at(publicationDueBy('2026-11-28T09:00:00+08:00', false));
    const window = endOfQuarterWindow('2026-12-31T23:59:59+08:00', '2027-01-01T00:00:00+08:00');
    expect(due).toBeGreaterThanOrEqual(window.notBefore);
    expect(due).toBeLessThan(window.before);
  });

  it('P2: 2026-12-31T23:30+08:00 is still the fourth quarter of 2026', () => {
    const due = at(publicationDueBy('2026-12-31T23:30:00+08:00', false));
    expect(due).toBeLessThan(at('2027-01-01T00:00:00+08:00'));
    expect(due).toBeGreaterThan(at('2026-12-31T23:30:00+08:00'));
  });

  it('P2: 2027-01-01T00:30+08:00 is the first quarter of 2027', () => {
    const due = at(publicationDueBy('2027-01-01T00:30:00+08:00', false));
    const window = endOfQuarterWindow('2027-03-31T23:59:59+08:00', '2027-04-01T00:00:00+08:00');
    expect(due).toBeGreaterThanOrEqual(window.notBefore);
    expect(due).toBeLessThan(window.before);
  });
});

describe('P6: audit requests', () => {
  it('P6: 1/5 of villagers (20 of 100, 21 of 101)', () => {
    expect(petitionThreshold('AUDIT_REQUEST', 'VILLAGERS', 100)).toEqual({
      ruleId: 'P6',
      signatories: 'VILLAGERS',
      required: 20,
      of: 100,
    });
    expect(petitionThreshold('AUDIT_REQUEST', 'VILLAGERS', 101).required).toBe(21);
  });

  it('P6: an audit request signed by representatives is refused', () => {
    expect(() => petitionThreshold('AUDIT_REQUEST', 'REPRESENTATIVES', 30)).toThrow();
  });
});

describe('petitionThreshold: purposes and their rules', () => {
  const cases: ReadonlyArray<[PetitionPurpose, 'VILLAGERS' | 'REPRESENTATIVES', RuleId]> = [
    ['CONVENE_ASSEMBLY', 'VILLAGERS', 'A2'],
    ['CONVENE_ASSEMBLY', 'REPRESENTATIVES', 'A2'],
    ['CONVENE_REPRESENTATIVES', 'REPRESENTATIVES', 'R3'],
    ['RECALL', 'VILLAGERS', 'E5'],
    ['RECALL', 'REPRESENTATIVES', 'E5'],
    ['AUDIT_REQUEST', 'VILLAGERS', 'P6'],
    ['PROPOSE_ITEM', 'VILLAGERS', 'A2'],
    ['PROPOSE_ITEM', 'REPRESENTATIVES', 'A2'],
  ];

  it.each(cases)('%s by %s is judged under %s', (purpose, signatories, ruleId) => {
    const result = petitionThreshold(purpose, signatories, 60);
    expect(result.ruleId).toBe(ruleId);
    expect(result.signatories).toBe(signatories);
    expect(result.of).toBe(60);
  });

  it.each([
    ['AUDIT_REQUEST', 'REPRESENTATIVES'],
    ['CONVENE_REPRESENTATIVES', 'VILLAGERS'],
  ] as const)('a %s petition signed by %s throws', (purpose, signatories) => {
    expect(() => petitionThreshold(purpose, signatories, 60)).toThrow();
  });
});

describe('F2: the Party members’ meeting (practice)', () => {
  it('F2: 20 of 30 attend (exactly 2/3) and 11 of 20 agree — both met', () => {
    const [attendance, agreement] = judgePartyMeeting({ members: 30, attending: 20, agreeing: 11 });
    expect(attendance).toEqual({ ruleId: 'F2', met: true, actual: 20, required: 20, of: 30 });
    expect(agreement).toEqual({ ruleId: 'F2', met: true, actual: 11, required: 11, of: 20 });
  });

  it('F2: 19 of 30 attending is too few', () => {
    const [attendance] = judgePartyMeeting({ members: 30, attending: 19, agreeing: 19 });
    expect(attendance.met).toBe(false);
  });

  it('F2: exactly half of attendees agreeing is not enough', () => {
    const [, agreement] = judgePartyMeeting({ members: 30, attending: 20, agreeing: 10 });
    expect(agreement.met).toBe(false);
  });

  it('F2: agreement counts against attendees, not members', () => {
    const [, agreement] = judgePartyMeeting({ members: 30, attending: 21, agreeing: 11 });
    expect(agreement.met).toBe(true);
    expect(agreement.of).toBe(21);
  });

  it('F2: the thresholds are configurable per village', () => {
    const practice: VillagePractice = {
      ...DEFAULT_PRACTICE,
      partyMeetingAttendance: moreThan(1, 2),
      partyMeetingAgreement: atLeast(2, 3),
    };
    const [attendance, agreement] = judgePartyMeeting(
      { members: 30, attending: 16, agreeing: 11 },
      practice,
    );
    expect(attendance.met).toBe(true);
    expect(agreement.met).toBe(true);
    const [, short] = judgePartyMeeting({ members: 30, attending: 16, agreeing: 10 }, practice);
    expect(short.met).toBe(false);
  });
});

describe('DEFAULT_PRACTICE', () => {
  it('votes may not be changed before close by default', () => {
    expect(DEFAULT_PRACTICE.votesMayChangeBeforeClose).toBe(false);
  });

  it('E4: proxy cap is 3', () => {
    expect(DEFAULT_PRACTICE.proxyCap).toBe(3);
  });

  it('F1: the 四议两公开 order is required by default', () => {
    expect(DEFAULT_PRACTICE.fourDeliberationsRequired).toBe(true);
  });

  it('F2: defaults to ≥ 2/3 attending and > 1/2 of attendees agreeing', () => {
    expect(DEFAULT_PRACTICE.partyMeetingAttendance).toEqual(atLeast(2, 3));
    expect(DEFAULT_PRACTICE.partyMeetingAgreement).toEqual(moreThan(1, 2));
  });

  it('P2: major matters are published within 3 days by default', () => {
    expect(DEFAULT_PRACTICE.majorMatterPublicationDays).toBe(3);
  });
});
