/**
 * Rule book VCOL-2018: every rule Cunyi enforces, by id, with its threshold and its source.
 * One file on purpose: a reader looking for "A3" finds its number, its citation and the function
 * that applies it here. Article numbers are those of the Organic Law of the Villagers' Committees
 * as revised in 2018 (the 2025 amendment renumbers them; that will be a VCOL-2026 book).
 */
import { ageOn, days, millisBetween } from '../shared/time';
import { atLeast, meets, moreThan, smallestMeeting, type Threshold } from './threshold';

export const RULE_BOOK_VERSION = 'VCOL-2018';

export const RULE_IDS = [
  'A1',
  'A2',
  'A3',
  'A4',
  'R1',
  'R2',
  'R3',
  'R4',
  'M1',
  'M2',
  'M3',
  'M4',
  'E1',
  'E3',
  'E4',
  'E5',
  'P1',
  'P2',
  'P4',
  'P6',
  'C1',
  'C2',
  'F1',
  'F2',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Citation {
  readonly law: string;
  readonly article: string;
  /** The source's own words. */
  readonly text: string;
  readonly gloss: string;
}

export interface Rule {
  readonly id: RuleId;
  /** LAW: national law. PRACTICE: the standard working method, configurable per village. */
  readonly kind: 'LAW' | 'PRACTICE';
  readonly summary: string;
  readonly thresholds: Readonly<Record<string, Threshold>>;
  /** Whole-number quantities of the rule: ages in years, periods in days. */
  readonly quantities: Readonly<Record<string, number>>;
  readonly citation: Citation;
}

const VCOL = '中华人民共和国村民委员会组织法 (2018 revision)';
const RLCL = '中华人民共和国农村土地承包法 (2018 revision)';
const URPL = '中华人民共和国城乡规划法 (2019 revision)';
const PRACTICE = '四议两公开 working method (provincial and county practice)';

export const RULES: { readonly [Id in RuleId]: Rule & { readonly id: Id } } = {
  A1: {
    id: 'A1',
    kind: 'LAW',
    summary: "The villagers' assembly is made up of the village's villagers aged 18 and over.",
    thresholds: {},
    quantities: { minimumAge: 18 },
    citation: {
      law: VCOL,
      article: 'Art. 21(1)',
      text: '村民会议由本村十八周岁以上的村民组成。',
      gloss:
        "The villagers' assembly consists of the villagers of the village aged eighteen and over.",
    },
  },
  A2: {
    id: 'A2',
    kind: 'LAW',
    summary:
      'The committee convenes the assembly; it must when 1/10 of villagers or 1/3 of representatives ask; villagers get 10 days’ notice.',
    thresholds: { villagers: atLeast(1, 10), representatives: atLeast(1, 3) },
    quantities: { noticeDays: 10 },
    citation: {
      law: VCOL,
      article: 'Art. 21(2)',
      text: '村民会议由村民委员会召集。有十分之一以上的村民或者三分之一以上的村民代表提议，应当召集村民会议。召集村民会议，应当提前十天通知村民。',
      gloss:
        "The villagers' committee convenes the assembly. It shall convene it when one tenth or more of the villagers or one third or more of the representatives propose it. Villagers shall be notified ten days in advance.",
    },
  },
  A3: {
    id: 'A3',
    kind: 'LAW',
    summary:
      "The villagers' assembly sits with more than half of its members, or the representatives of 2/3 or more of households.",
    thresholds: { members: moreThan(1, 2), households: atLeast(2, 3) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 22',
      text: '召开村民会议，应当有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表参加',
      gloss:
        "A villagers' assembly requires more than half of the village's villagers aged eighteen and over, or representatives of two thirds or more of its households, to attend.",
    },
  },
  A4: {
    id: 'A4',
    kind: 'LAW',
    summary:
      'An assembly decision passes with more than half of those attending (abstaining and not voting count against).',
    thresholds: { attending: moreThan(1, 2) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 22',
      text: '村民会议所作决定应当经到会人员的过半数通过。',
      gloss:
        "Decisions of the villagers' assembly require the approval of more than half of those attending.",
    },
  },
  R1: {
    id: 'R1',
    kind: 'LAW',
    summary: "Representatives are 4/5 or more of the representatives' assembly, women 1/3 or more.",
    thresholds: { representatives: atLeast(4, 5), women: atLeast(1, 3) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 25(1)',
      text: '村民代表会议由村民委员会成员和村民代表组成，村民代表应当占村民代表会议组成人员的五分之四以上，妇女村民代表应当占村民代表会议组成人员的三分之一以上。',
      gloss:
        "The representatives' assembly consists of the committee members and the villagers' representatives; representatives shall be four fifths or more of its members, and women representatives one third or more.",
    },
  },
  R2: {
    id: 'R2',
    kind: 'LAW',
    summary: 'One representative per 5 to 15 households (or chosen by village groups).',
    thresholds: {},
    quantities: { fewestHouseholdsPerRepresentative: 5, mostHouseholdsPerRepresentative: 15 },
    citation: {
      law: VCOL,
      article: 'Art. 25(2)',
      text: '村民代表由村民按每五户至十五户推选一人，或者由各村民小组推选若干人。',
      gloss:
        'Representatives are chosen by the villagers, one for every five to fifteen households, or several by each villagers’ group.',
    },
  },
  R3: {
    id: 'R3',
    kind: 'LAW',
    summary:
      "The representatives' assembly meets every quarter, and must when 1/5 of representatives ask.",
    thresholds: { representatives: atLeast(1, 5) },
    quantities: { meetingsPerYear: 4 },
    citation: {
      law: VCOL,
      article: 'Art. 26(1)',
      text: '村民代表会议由村民委员会召集。村民代表会议每季度召开一次。有五分之一以上的村民代表提议，应当召集村民代表会议。',
      gloss:
        "The committee convenes the representatives' assembly, which meets once a quarter; it shall be convened when one fifth or more of the representatives propose it.",
    },
  },
  R4: {
    id: 'R4',
    kind: 'LAW',
    summary:
      "The representatives' assembly sits with 2/3 or more of its members; decisions need more than half of attendees.",
    thresholds: { members: atLeast(2, 3), attending: moreThan(1, 2) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 26(2)',
      text: '村民代表会议有三分之二以上的组成人员参加方可召开，所作决定应当经到会人员的过半数同意。',
      gloss:
        "The representatives' assembly may sit only with two thirds or more of its members attending; its decisions require the consent of more than half of those attending.",
    },
  },
  M1: {
    id: 'M1',
    kind: 'LAW',
    summary:
      'Listed matters of villagers’ interest may only be acted on after an assembly decision.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 24(1)',
      text: '涉及村民利益的下列事项，经村民会议讨论决定方可办理：（一）本村享受误工补贴的人员及补贴标准；（二）从村集体经济所得收益的使用；（三）本村公益事业的兴办和筹资筹劳方案及建设承包方案；（四）土地承包经营方案；（五）村集体经济项目的立项、承包方案；（六）宅基地的使用方案；（七）征地补偿费的使用、分配方案；（八）以借贷、租赁或者其他方式处分村集体财产；（九）村民会议认为应当由村民会议讨论决定的涉及村民利益的其他事项。',
      gloss:
        "These matters may be acted on only after discussion and decision by the villagers' assembly: missed-work allowances; use of collective income; public-works schemes, their fundraising and labour, and construction contracts; the land-contracting plan; collective economic projects; homestead use; land-compensation use and allocation; disposing of collective property; other matters the assembly reserves.",
    },
  },
  M2: {
    id: 'M2',
    kind: 'LAW',
    summary:
      "The villagers' assembly may authorise the representatives' assembly to decide M1 matters.",
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 24(2)',
      text: '村民会议可以授权村民代表会议讨论决定前款规定的事项。',
      gloss:
        "The villagers' assembly may authorise the representatives' assembly to discuss and decide the matters in the preceding paragraph.",
    },
  },
  M3: {
    id: 'M3',
    kind: 'LAW',
    summary:
      'Land-contracting plans, adjusting contracted land and contracting to outsiders need 2/3 or more of assembly members, or of representatives.',
    thresholds: { members: atLeast(2, 3) },
    quantities: {},
    citation: {
      law: RLCL,
      article: 'Arts. 19(3), 28(2), 52',
      text: '承包方案应当按照本法第十三条的规定，依法经本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上村民代表的同意。',
      gloss:
        'The contracting plan requires the consent of two thirds or more of the members of the villagers’ assembly of the collective, or two thirds or more of the villagers’ representatives (likewise for adjusting contracted land, Art. 28, and contracting to outsiders, Art. 52).',
    },
  },
  M4: {
    id: 'M4',
    kind: 'LAW',
    summary:
      "A village plan needs the consent of the villagers' or representatives' assembly before it is submitted; its draft is announced for 30 days or more; amendments follow the same path.",
    thresholds: {},
    quantities: { publicNoticeDays: 30 },
    citation: {
      law: URPL,
      article: 'Arts. 18, 22, 26, 48',
      text: '村庄规划在报送审批前，应当经村民会议或者村民代表会议讨论同意。……城乡规划报送审批前，组织编制机关应当依法将城乡规划草案予以公告……公告的时间不得少于三十日。',
      gloss:
        "Before a village plan is submitted for approval it shall be discussed and agreed by the villagers' assembly or the representatives' assembly; the draft is announced publicly for no less than thirty days; amendments are approved by the same procedure.",
    },
  },
  E1: {
    id: 'E1',
    kind: 'LAW',
    summary: 'Villagers aged 18 and over have the right to vote and to stand.',
    thresholds: {},
    quantities: { minimumAge: 18 },
    citation: {
      law: VCOL,
      article: 'Art. 13',
      text: '年满十八周岁的村民，不分民族、种族、性别、职业、家庭出身、宗教信仰、教育程度、财产状况、居住期限，都有选举权和被选举权',
      gloss:
        'Villagers who have reached eighteen have the right to vote and to stand for election, regardless of ethnicity, sex, occupation, family background, religion, education, property or length of residence.',
    },
  },
  E3: {
    id: 'E3',
    kind: 'LAW',
    summary:
      'An election is valid when more than half of registered voters vote; a candidate wins with more than half of the ballots cast.',
    thresholds: { turnout: moreThan(1, 2), ballots: moreThan(1, 2) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 15',
      text: '选举村民委员会，有登记参加选举的村民过半数投票，选举有效；候选人获得参加投票的村民过半数的选票，始得当选。',
      gloss:
        'An election is valid when more than half of the registered villagers vote; a candidate is elected with more than half of the votes of those voting.',
    },
  },
  E4: {
    id: 'E4',
    kind: 'LAW',
    summary:
      'An absent voter may give a written proxy to a close relative who votes in the same village; the names are published. The per-proxy cap is provincial.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 15(4)',
      text: '登记参加选举的村民，选举期间外出不能参加投票的，可以书面委托本村有选举权的近亲属代为投票。村民选举委员会应当公布委托人和受委托人的名单。',
      gloss:
        'A registered villager away at election time may authorise in writing a close relative with the right to vote in the village to vote for them; the election committee publishes the names of both.',
    },
  },
  E5: {
    id: 'E5',
    kind: 'LAW',
    summary:
      'Recall: a petition of 1/5 of voters or 1/3 of representatives, with reasons; passes when more than half of registered voters vote and more than half of ballots agree.',
    thresholds: {
      voters: atLeast(1, 5),
      representatives: atLeast(1, 3),
      turnout: moreThan(1, 2),
      ballots: moreThan(1, 2),
    },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 16',
      text: '本村五分之一以上有选举权的村民或者三分之一以上的村民代表联名，可以提出罢免村民委员会成员的要求，并说明要求罢免的理由。……罢免村民委员会成员，须有登记参加选举的村民过半数投票，并须经投票的村民过半数通过。',
      gloss:
        'One fifth or more of the voters, or one third or more of the representatives, may jointly demand the recall of a committee member, giving reasons. A recall needs more than half of the registered villagers voting and more than half of those voting in favour.',
    },
  },
  P1: {
    id: 'P1',
    kind: 'LAW',
    summary:
      'Assembly decisions and how they were carried out, government funds, donations and other matters villagers care about are published.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 30(2)',
      text: '村民委员会应当及时公布下列事项，接受村民的监督：（一）本法第二十三条、第二十四条规定的由村民会议、村民代表会议讨论决定的事项及其实施情况',
      gloss:
        "The committee shall promptly publish, for the villagers' supervision, the matters decided by the villagers' or representatives' assembly and how they were carried out, among others.",
    },
  },
  P2: {
    id: 'P2',
    kind: 'LAW',
    summary:
      'Ordinary matters are published at least quarterly, finances monthly where frequent, major matters at once.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 30(3)',
      text: '一般事项至少每季度公布一次；集体财务往来较多的，财务收支情况应当每月公布一次；涉及村民利益的重大事项应当随时公布。',
      gloss:
        'Ordinary matters are published at least once a quarter; where collective finances are busy, accounts monthly; major matters affecting villagers at any time, as they arise.',
    },
  },
  P4: {
    id: 'P4',
    kind: 'LAW',
    summary:
      'The village affairs supervision committee is elected by the assembly; committee members and their close relatives may not serve on it.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 32',
      text: '村应当建立村务监督委员会或者其他形式的村务监督机构……其成员由村民会议或者村民代表会议在村民中推选产生……村民委员会成员及其近亲属不得担任村务监督机构成员。',
      gloss:
        "The village sets up a village affairs supervision committee, its members elected from the villagers by the villagers' or representatives' assembly; committee members and their close relatives may not serve on it.",
    },
  },
  P6: {
    id: 'P6',
    kind: 'LAW',
    summary: 'One fifth or more of the villagers may require an audit.',
    thresholds: { villagers: atLeast(1, 5) },
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 35(6)',
      text: '本村五分之一以上的村民要求审计的其他事项。',
      gloss: 'Other matters that one fifth or more of the villagers require to be audited.',
    },
  },
  C1: {
    id: 'C1',
    kind: 'LAW',
    summary:
      'The assembly adopts the autonomy charter and village rules; they are filed with the township.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 27(1)',
      text: '村民会议可以制定和修改村民自治章程、村规民约，并报乡、民族乡、镇的人民政府备案。',
      gloss:
        "The villagers' assembly may adopt and amend the autonomy charter and village rules, and files them with the township government.",
    },
  },
  C2: {
    id: 'C2',
    kind: 'LAW',
    summary:
      'A decision that breaks the law or infringes villagers’ rights is ordered corrected by the township, which does not decide in the villagers’ place.',
    thresholds: {},
    quantities: {},
    citation: {
      law: VCOL,
      article: 'Art. 27(2)(3)',
      text: '村民自治章程、村规民约以及村民会议或者村民代表会议的决定违反前款规定的，由乡、民族乡、镇的人民政府责令改正。',
      gloss:
        "Where the charter, village rules or decisions of the villagers' or representatives' assembly break the law or infringe villagers' rights, the township government orders them corrected.",
    },
  },
  F1: {
    id: 'F1',
    kind: 'PRACTICE',
    summary:
      '四议两公开: proposal, joint deliberation of the two committees, review by the Party members’ meeting, resolution by the assembly, publication of the resolution, publication of the results — in this order.',
    thresholds: {},
    quantities: {},
    citation: {
      law: PRACTICE,
      article: '四议两公开',
      text: '村党组织提议、村“两委”会议商议、党员大会审议、村民会议或村民代表会议决议；决议公开、实施结果公开。',
      gloss:
        "Proposed by the village Party organisation, deliberated by the joint meeting of the two committees, reviewed by the Party members' meeting, resolved by the villagers' or representatives' assembly; the resolution published, the results of implementation published.",
    },
  },
  F2: {
    id: 'F2',
    kind: 'PRACTICE',
    summary:
      "The Party members' meeting reviews with 2/3 or more attending and more than half of them agreeing.",
    thresholds: { attendance: atLeast(2, 3), agreement: moreThan(1, 2) },
    quantities: {},
    citation: {
      law: PRACTICE,
      article: '四议两公开 step 3 (审议)',
      text: '党员大会审议：应有三分之二以上党员到会，经到会党员过半数同意。',
      gloss:
        "Party members' meeting review: two thirds or more of Party members attend, and more than half of those attending agree.",
    },
  },
};

/** The practice values a village may set for itself, and their defaults. */
export interface VillagePractice {
  /** E4: how many absent voters one proxy may vote for (provincial rule). */
  readonly proxyCap: number;
  /** P2: days within which a major matter's resolution must be published. */
  readonly majorMatterPublicationDays: number;
  /** Whether a villager may change a ballot before voting closes. */
  readonly votesMayChangeBeforeClose: boolean;
  /** F1: whether a vote needs steps 2 and 3 (商议, 审议) on record first. */
  readonly fourDeliberationsRequired: boolean;
  /** F2: the Party members' meeting thresholds. */
  readonly partyMeetingAttendance: Threshold;
  readonly partyMeetingAgreement: Threshold;
}

export const DEFAULT_PRACTICE: VillagePractice = {
  proxyCap: 3,
  majorMatterPublicationDays: 3,
  votesMayChangeBeforeClose: false,
  fourDeliberationsRequired: true,
  partyMeetingAttendance: RULES.F2.thresholds.attendance as Threshold,
  partyMeetingAgreement: RULES.F2.thresholds.agreement as Threshold,
};

/**
 * What a rule found: whether `actual` met it, the smallest count that would have (`required`),
 * out of how many (`of`). Outcome events and GraphQL show these.
 */
export interface Judgement {
  readonly ruleId: RuleId;
  readonly met: boolean;
  readonly actual: number;
  readonly required: number;
  readonly of: number;
}

function judge(ruleId: RuleId, actual: number, of: number, threshold: Threshold): Judgement {
  return {
    ruleId,
    met: meets(actual, of, threshold),
    actual,
    required: smallestMeeting(of, threshold),
    of,
  };
}

const threshold = (id: RuleId, name: string) => RULES[id].thresholds[name] as Threshold;
const quantity = (id: RuleId, name: string) => RULES[id].quantities[name] as number;

/** A1 (and E1): a villager belongs to the assembly, and may vote, from their 18th birthday. */
export function isOfAge(birthDate: string, onDate: string): boolean {
  return ageOn(birthDate, onDate) >= quantity('A1', 'minimumAge');
}

/** A2: at least 10 days between notice and the meeting. In milliseconds. */
export function judgeNotice(noticeAt: string, scheduledAt: string): Judgement {
  const required = days(quantity('A2', 'noticeDays'));
  const actual = millisBetween(noticeAt, scheduledAt);
  return { ruleId: 'A2', met: actual >= required, actual, required, of: required };
}

/** A3: the villagers' assembly's quorum, on members or on households. */
export function judgeAssemblyQuorum(
  basis: 'MEMBERS' | 'HOUSEHOLDS',
  present: number,
  of: number,
): Judgement {
  return judge('A3', present, of, threshold('A3', basis === 'MEMBERS' ? 'members' : 'households'));
}

/** A4: more than half of those attending vote FOR. */
export function judgeAssemblyDecision(forVotes: number, attending: number): Judgement {
  return judge('A4', forVotes, attending, threshold('A4', 'attending'));
}

/** R4: 2/3 or more of the representatives' assembly's members attend. */
export function judgeRepresentativesQuorum(present: number, members: number): Judgement {
  return judge('R4', present, members, threshold('R4', 'members'));
}

/** R4: more than half of those attending vote FOR. */
export function judgeRepresentativesDecision(forVotes: number, attending: number): Judgement {
  return judge('R4', forVotes, attending, threshold('R4', 'attending'));
}

/** M3: 2/3 or more of the body's members (not of attendees) vote FOR. */
export function judgeLandMatterDecision(forVotes: number, members: number): Judgement {
  return judge('M3', forVotes, members, threshold('M3', 'members'));
}

/** R1: the make-up of the representatives' assembly. Both must hold for it to sit. */
export function judgeRepresentativesAssembly(composition: {
  readonly members: number;
  readonly representatives: number;
  readonly women: number;
}): [Judgement, Judgement] {
  return [
    judge(
      'R1',
      composition.representatives,
      composition.members,
      threshold('R1', 'representatives'),
    ),
    judge('R1', composition.women, composition.members, threshold('R1', 'women')),
  ];
}

/** R2: households per representative within 5–15. A warning, not a refusal. */
export function representationWarning(
  households: number,
  representatives: number,
): string | undefined {
  const fewest = quantity('R2', 'fewestHouseholdsPerRepresentative');
  const most = quantity('R2', 'mostHouseholdsPerRepresentative');
  if (representatives === 0) return `R2: no representatives for ${households} households`;
  // households / representatives within [fewest, most], in integers.
  if (households < fewest * representatives || households > most * representatives) {
    return `R2: ${representatives} representatives for ${households} households is outside one per ${fewest}–${most} households`;
  }
  return undefined;
}

export type PetitionPurpose =
  | 'CONVENE_ASSEMBLY'
  | 'CONVENE_REPRESENTATIVES'
  | 'RECALL'
  | 'AUDIT_REQUEST'
  | 'PROPOSE_ITEM';

/** Who may sign a petition, and how many must. */
export interface PetitionThreshold {
  readonly ruleId: RuleId;
  readonly signatories: 'VILLAGERS' | 'REPRESENTATIVES';
  readonly required: number;
  readonly of: number;
}

/**
 * The signatures a petition needs, fixed from the roll when it starts. Villager petitions count
 * the assembly's members (villagers aged 18 and over, A1/E1); representative petitions count the
 * representatives. A proposed item goes to the assembly, so it takes A2's threshold.
 */
export function petitionThreshold(
  purpose: PetitionPurpose,
  signatories: 'VILLAGERS' | 'REPRESENTATIVES',
  of: number,
): PetitionThreshold {
  const [ruleId, name]: [RuleId, string] = (() => {
    switch (purpose) {
      case 'CONVENE_ASSEMBLY':
      case 'PROPOSE_ITEM':
        return ['A2', signatories === 'VILLAGERS' ? 'villagers' : 'representatives'];
      case 'CONVENE_REPRESENTATIVES':
        return ['R3', 'representatives'];
      case 'RECALL':
        return ['E5', signatories === 'VILLAGERS' ? 'voters' : 'representatives'];
      case 'AUDIT_REQUEST':
        return ['P6', 'villagers'];
    }
  })();
  const byRepresentatives = name === 'representatives';
  if (byRepresentatives !== (signatories === 'REPRESENTATIVES')) {
    throw new RangeError(`${ruleId}: a ${purpose} petition is not signed by ${signatories}`);
  }
  return { ruleId, signatories, required: smallestMeeting(of, threshold(ruleId, name)), of };
}

/** M4: a plan's draft is announced at least 30 days before the consent vote. In milliseconds. */
export function judgePlanNotice(announcedAt: string, decidedAt: string): Judgement {
  const required = days(quantity('M4', 'publicNoticeDays'));
  const actual = millisBetween(announcedAt, decidedAt);
  return { ruleId: 'M4', met: actual >= required, actual, required, of: required };
}

/** E3: an election is valid with more than half of registered voters voting. */
export function judgeElectionTurnout(voted: number, registered: number): Judgement {
  return judge('E3', voted, registered, threshold('E3', 'turnout'));
}

/** E3: a candidate wins with more than half of the ballots cast. */
export function judgeCandidate(votes: number, ballotsCast: number): Judgement {
  return judge('E3', votes, ballotsCast, threshold('E3', 'ballots'));
}

/** E4: a proxy may vote for at most the province's cap of absent voters. */
export function proxyAllowed(
  alreadyHeld: number,
  practice: VillagePractice = DEFAULT_PRACTICE,
): boolean {
  return alreadyHeld < practice.proxyCap;
}

/** E5: a recall passes with more than half of registered voters voting and more than half of ballots. */
export function judgeRecall(
  voted: number,
  registered: number,
  forVotes: number,
): [Judgement, Judgement] {
  return [
    judge('E5', voted, registered, threshold('E5', 'turnout')),
    judge('E5', forVotes, voted, threshold('E5', 'ballots')),
  ];
}

/** F2: the Party members' meeting: attendance, then agreement of those attending. */
export function judgePartyMeeting(
  counts: { readonly members: number; readonly attending: number; readonly agreeing: number },
  practice: VillagePractice = DEFAULT_PRACTICE,
): [Judgement, Judgement] {
  return [
    judge('F2', counts.attending, counts.members, practice.partyMeetingAttendance),
    judge('F2', counts.agreeing, counts.attending, practice.partyMeetingAgreement),
  ];
}

/** Villages keep China Standard Time (UTC+8) all year: quarters end at midnight there. */
const CHINA_STANDARD_TIME_MS = 8 * 60 * 60 * 1000;

/**
 * P2: when a resolution must be published. Major matters within the village's set number of days
 * ("at once"); ordinary matters by the end of the quarter in which they were resolved.
 */
export function publicationDueBy(
  resolvedAt: string,
  major: boolean,
  practice: VillagePractice = DEFAULT_PRACTICE,
): string {
  const resolved = Date.parse(resolvedAt);
  if (major) return new Date(resolved + days(practice.majorMatterPublicationDays)).toISOString();
  const local = new Date(resolved + CHINA_STANDARD_TIME_MS);
  const nextQuarter = Date.UTC(
    local.getUTCFullYear(),
    Math.floor(local.getUTCMonth() / 3) * 3 + 3,
    1,
  );
  return new Date(nextQuarter - CHINA_STANDARD_TIME_MS - 1).toISOString();
}

/** The M1 matters: only an assembly decision (or an M2-authorised representatives' one) lets them go ahead. */
export const M1_MATTERS = [
  'MISSED_WORK_ALLOWANCE',
  'COLLECTIVE_INCOME_USE',
  'PUBLIC_WORKS',
  'LAND_CONTRACTING_PLAN',
  'COLLECTIVE_ECONOMIC_PROJECT',
  'HOMESTEAD_PLAN',
  'LAND_COMPENSATION_ALLOCATION',
  'COLLECTIVE_PROPERTY_DISPOSAL',
] as const;

/** M3: the land matters that need 2/3 of members. */
export const M3_MATTERS = [
  'LAND_CONTRACTING_PLAN',
  'CONTRACTED_LAND_ADJUSTMENT',
  'CONTRACTING_TO_OUTSIDERS',
] as const;

export const MATTERS = [
  ...M1_MATTERS,
  'CONTRACTED_LAND_ADJUSTMENT',
  'CONTRACTING_TO_OUTSIDERS',
  'PLAN_CONSENT',
  'VILLAGE_RULES',
  'AUTHORISATION',
  'OTHER',
] as const;
export type Matter = (typeof MATTERS)[number];

export const isM1Matter = (matter: Matter): boolean =>
  (M1_MATTERS as readonly string[]).includes(matter);
export const isM3Matter = (matter: Matter): boolean =>
  (M3_MATTERS as readonly string[]).includes(matter);
