/**
 * Whole paths across aggregates. Each spec runs the real deciders the way the command handlers
 * will: read one stream's state and put the facts it holds into the next command (the roll from
 * `rollOn`, the seats from `representativesAssembly`, the authorisation from `liveAuthorisation`,
 * the meeting's own ItemDecided as the decision). No decision is built by hand here, so these specs
 * prove that the aggregates agree on the shapes they hand each other, that a lawful path goes
 * through end to end, and that the law's refusals still bite in the middle of one.
 */
import type { AgendaItem, ConvenedBy, ConveneMeeting } from './meeting/commands';
import type { ItemDecided } from './meeting/events';
import { meetingDecider } from './meeting/meeting.decider';
import { petitionDecider } from './petition/petition.decider';
import { planDecider } from './plan/plan.decider';
import type { AuthorisationFact, ReportImplementation } from './proposal/commands';
import type { DeliberationCounts, DeliberationStep, Proposer } from './proposal/events';
import { proposalDecider } from './proposal/proposal.decider';
import { isOfAge, type Matter } from './rule-book/vcol-2018';
import { type Command, type Decider, type DomainEvent, fold } from './shared/decider';
import { DomainError } from './shared/domain-error';
import {
  type Body,
  type ItemDecision,
  itemDecisionOf,
  type QuorumBasis,
} from './shared/vocabulary';
import { liveAuthorisation, representativesAssembly, rollOn } from './village/roll';
import { villageDecider } from './village/village.decider';

/** An instant in China Standard Time. */
const on = (date: string, time: string) => `${date}T${time}:00+08:00`;

/** One event history per stream; `run` decides on the folded history and appends what it decided. */
function world() {
  const histories = new Map<string, DomainEvent[]>();
  function stream<C extends Command, E extends DomainEvent, S>(name: string, d: Decider<C, E, S>) {
    if (!histories.has(name)) histories.set(name, []);
    const history = histories.get(name) as E[];
    const state = () => fold(d, history);
    /** The decider's refusal, if any, as 'CODE rule'. */
    const attempt = (command: C): E[] | string => {
      try {
        return d.decide(command, state());
      } catch (error) {
        if (error instanceof DomainError) return `${error.code} ${error.ruleId ?? '-'}`;
        throw error;
      }
    };
    return {
      state,
      /** Any refusal fails the test, naming the stream, the command, the code and the rule. */
      run: (...commands: readonly C[]): E[] =>
        commands.flatMap((command) => {
          const events = attempt(command);
          if (typeof events === 'string') throw new Error(`${name}: ${command.type} ${events}`);
          history.push(...events);
          return events;
        }),
      /** The refusal `command` meets; the history stays as it was. */
      refusal(command: C): string {
        const refused = attempt(command);
        if (typeof refused === 'string') return refused;
        throw new Error(`${name}: ${command.type} was accepted`);
      },
    };
  }
  return {
    village: stream(`village-${VILLAGE}`, villageDecider),
    meeting: (meetingId: string) => stream(`meeting-${meetingId}`, meetingDecider),
    proposal: (proposalId: string) => stream(`proposal-${proposalId}`, proposalDecider),
    petition: (petitionId: string) => stream(`petition-${petitionId}`, petitionDecider),
    plan: (planId: string) => stream(`plan-${planId}`, planDecider),
  };
}
type World = ReturnType<typeof world>;
type Ids = readonly string[];

const VILLAGE = 'xiajiang';
/** Twelve adults, two to each of six households (a man, then a woman), and a child in h1. */
const ADULTS = Array.from({ length: 12 }, (_, index) => `v${String(index + 1).padStart(2, '0')}`);
const CHILD = 'v13';
/** Seven of the twelve: more than half of the assembly's members (A3). */
const MAJORITY = ADULTS.slice(0, 7);
/** FOR first, then AGAINST; the rest of those attending ABSTAIN. */
type Votes = { readonly for: number; readonly against?: number };
/** 5 FOR, 1 AGAINST, 1 ABSTAIN of seven: more than half of those attending (A4). */
const CARRIED: Votes = { for: 5, against: 1 };

function settle(w: World, { offices = false } = {}): void {
  const villageId = VILLAGE;
  const at = on('2026-01-06', '09:00');
  const place = { name: '下姜村', township: '枫树岭镇', county: '淳安县', province: '浙江省' };
  w.village.run({ type: 'RegisterVillage', data: { villageId, ...place, at } });
  const households = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
  for (const householdId of households) {
    const name = `${householdId} 户`;
    w.village.run({ type: 'RegisterHousehold', data: { villageId, householdId, name, at } });
  }
  const register = (villagerId: string, householdId: string, birthDate: string) => {
    const gender = Number(villagerId.slice(1)) % 2 === 0 ? 'FEMALE' : 'MALE';
    const basis = { residenceBasis: 'HOUSEHOLD_REGISTRATION', name: `村民 ${villagerId}` } as const;
    const data = { villageId, villagerId, gender, birthDate, householdId, ...basis, at } as const;
    w.village.run({ type: 'RegisterVillager', data });
  };
  ADULTS.forEach((villagerId, index) => {
    register(villagerId, `h${Math.floor(index / 2) + 1}`, `${1962 + 2 * index}-04-15`);
  });
  register(CHILD, 'h1', '2012-09-01');
  // Odd households are represented by their woman, even ones by their man.
  households.forEach((householdId, index) => {
    const villagerId = ADULTS[2 * index + ((index + 1) % 2)] as string;
    const data = { villageId, householdId, villagerId, at };
    w.village.run({ type: 'DesignateHouseholdRepresentative', data });
  });
  if (!offices) return;
  // A committee member who is no representative and four representatives, two of them women: R1
  // holds (4 of 5 seats, women 2 of 5). Six households are too few for R2: only a warning.
  const representativeIds = ['v02', 'v04', 'v05', 'v07'];
  w.village.run(
    { type: 'ElectCommittee', data: { villageId, memberIds: ['v01'], at } },
    { type: 'ElectRepresentatives', data: { villageId, representativeIds, at } },
  );
}

/** Step 1, 提议. */
function draft(w: World, proposalId: string, matter: Matter, title: string, proposer: Proposer) {
  const body = `${title}: the full text, as proposed.`;
  const at = on('2026-03-02', '09:00');
  const data = { proposalId, villageId: VILLAGE, title, body, matter, proposer, at };
  w.proposal(proposalId).run({ type: 'DraftProposal', data: { ...data, draftedBy: 'clerk-wang' } });
}

/** Steps 1–3 of 四议两公开: drafted by the Party branch and agreed at both sittings. */
function draftAndDeliberate(w: World, proposalId: string, matter: Matter, title: string): void {
  draft(w, proposalId, matter, title, { kind: 'PARTY_BRANCH' });
  const sitting = (step: DeliberationStep, day: string, counts: DeliberationCounts) => {
    const minutes = {
      heldAt: on(day, '19:30'),
      minutesSha256: 'ab'.repeat(32),
      at: on(day, '21:00'),
    };
    return { type: 'RecordDeliberation', data: { proposalId, step, counts, ...minutes } } as const;
  };
  w.proposal(proposalId).run(
    sitting('JOINT_COMMITTEES', '2026-03-05', { members: 7, attending: 7, agreeing: 6 }),
    // F2: 7 of 9 Party members attend (≥ 2/3), 6 of those 7 agree (> 1/2).
    sitting('PARTY_MEMBERS', '2026-03-10', { members: 9, attending: 7, agreeing: 6 }),
  );
}

interface Sitting {
  readonly meetingId: string;
  /** When villagers were told; the convening is recorded then too. */
  readonly noticeAt: string;
  /** The meeting day: it opens at 09:00. */
  readonly date: string;
  readonly body?: Body;
  readonly quorumBasis?: QuorumBasis;
  readonly convenedBy?: ConvenedBy;
}

/** Notice given at 09:00 on `noticeDay`. */
const sittingOf = (
  meetingId: string,
  noticeDay: string,
  date: string,
  more: Partial<Sitting> = {},
): Sitting => ({
  meetingId,
  noticeAt: on(noticeDay, '09:00'),
  date,
  ...more,
});

const convening = (sitting: Sitting, agenda: readonly AgendaItem[]): ConveneMeeting => ({
  type: 'ConveneMeeting',
  data: {
    meetingId: sitting.meetingId,
    villageId: VILLAGE,
    body: sitting.body ?? 'VILLAGERS_ASSEMBLY',
    quorumBasis: sitting.quorumBasis ?? 'MEMBERS',
    scheduledAt: on(sitting.date, '09:00'),
    noticeAt: sitting.noticeAt,
    agenda,
    convenedBy: sitting.convenedBy ?? { kind: 'COMMITTEE' },
    at: sitting.noticeAt,
  },
});

/** The agenda item for a proposal, read from the proposal's stream. */
function itemFor(w: World, proposalId: string): AgendaItem {
  const { proposal } = w.proposal(proposalId).state();
  if (proposal === undefined) throw new Error(`no proposal ${proposalId}`);
  return { itemId: 'item-1', proposalId, matter: proposal.matter, title: proposal.title };
}

/** Tables the proposal as the item the meeting's agenda gives it, for the meeting's body. */
function table(w: World, proposalId: string, meetingId: string, at: string): void {
  const { meeting } = w.meeting(meetingId).state();
  const item = meeting?.agenda.find((entry) => entry.proposalId === proposalId);
  if (meeting === undefined || item === undefined) throw new Error(`${proposalId} not on agenda`);
  const data = { proposalId, meetingId, itemId: item.itemId, body: meeting.body, at };
  w.proposal(proposalId).run({ type: 'TableProposal', data });
}

/**
 * The meeting day: opened on the village's roll of that day (and, for the representatives'
 * assembly, its seats), `attendees` check in and vote on the first item, voting closes, and the
 * meeting's decision is returned as its ItemDecided recorded it.
 */
function sit(w: World, meetingId: string, attendees: Ids, votes: Votes): ItemDecision {
  const meeting = w.meeting(meetingId);
  const convened = meeting.state().meeting;
  if (convened === undefined) throw new Error(`meeting ${meetingId} not convened`);
  const date = convened.scheduledAt.slice(0, 10);
  const itemId = convened.agenda[0]?.itemId as string;
  const at = (time: string) => ({ meetingId, at: on(date, time) });
  const roll = rollOn(w.village.state(), date);
  const assemblyMembers = representativesAssembly(w.village.state()).members;
  meeting.run({
    type: 'OpenMeeting',
    data: {
      ...at('09:00'),
      rollDate: roll.date,
      // The meeting's roll entry has no name: the frozen roll keeps only what it judges on.
      villagers: roll.villagers.map(({ name: _name, ...entry }) => entry),
      householdRepresentatives: roll.householdRepresentatives,
      ...(convened.body === 'REPRESENTATIVES_ASSEMBLY' ? { assemblyMembers } : {}),
    },
  });
  for (const villagerId of attendees) {
    meeting.run({ type: 'CheckIn', data: { ...at('09:05'), villagerId, channel: 'IN_PERSON' } });
  }
  meeting.run({ type: 'OpenVoting', data: { ...at('09:30'), itemId } });
  attendees.forEach((villagerId, index) => {
    const against = index >= votes.for && index < votes.for + (votes.against ?? 0);
    const choice = index < votes.for ? 'FOR' : against ? 'AGAINST' : 'ABSTAIN';
    const ballot = { itemId, ballotId: `${meetingId}-${villagerId}`, villagerId, choice } as const;
    meeting.run({ type: 'CastBallot', data: { ...at('09:40'), ...ballot, channel: 'ONLINE' } });
  });
  const closed = meeting.run({ type: 'CloseVoting', data: { ...at('10:00'), itemId } });
  const decided = closed.find((event): event is ItemDecided => event.type === 'ItemDecided');
  if (decided === undefined) throw new Error(`meeting ${meetingId} decided nothing`);
  // Handed on whole, counted ballot ids included, as a handler would: each aggregate keeps only
  // the ItemDecision fields it stores.
  return decided.data;
}

/** Step 4 (决议): convene with the proposal on the agenda, table it, sit, record the resolution. */
function resolveAt(w: World, proposalId: string, at: Sitting, present: Ids, votes = CARRIED) {
  w.meeting(at.meetingId).run(convening(at, [itemFor(w, proposalId)]));
  table(w, proposalId, at.meetingId, at.noticeAt);
  const decision = sit(w, at.meetingId, present, votes);
  const data = { proposalId, decision, at: on(at.date, '10:05') };
  return { decision, events: w.proposal(proposalId).run({ type: 'RecordResolution', data }) };
}

/** An item that is no proposal's own (an authorisation, a plan's consent), put and decided. */
function decideItem(w: World, sitting: Sitting, matter: Matter, subject: string): ItemDecision {
  const item = { itemId: 'item-1', proposalId: `proposal-${subject}`, matter, title: subject };
  w.meeting(sitting.meetingId).run(convening(sitting, [item]));
  return sit(w, sitting.meetingId, MAJORITY, CARRIED);
}

/** Step 5, 决议公开. */
function publish(w: World, proposalId: string, day: string) {
  const notice = { publishedAt: on(day, '08:00'), notice: '决议公开 on the village board' };
  const data = { proposalId, ...notice, at: on(day, '08:05') };
  return w.proposal(proposalId).run({ type: 'PublishResolution', data });
}

function report(proposalId: string, day: string, fact?: AuthorisationFact): ReportImplementation {
  const data = { proposalId, summary: 'Carried out as resolved', at: on(day, '17:00') };
  return { type: 'ReportImplementation', data: { ...data, ...(fact && { authorisation: fact }) } };
}

describe('paths across aggregates', () => {
  it("F1 A2 A3 A4 P1: a proposal goes from 提议 to 实施结果公开 through a real villagers' assembly", () => {
    const w = world();
    settle(w);
    const proposalId = 'proposal-pond-income';
    draftAndDeliberate(w, proposalId, 'COLLECTIVE_INCOME_USE', '鱼塘收益修缮村道');
    // A2: fifteen days' notice.
    const sitting = sittingOf('meeting-03', '2026-03-13', '2026-03-28');
    w.meeting(sitting.meetingId).run(convening(sitting, [itemFor(w, proposalId)]));
    table(w, proposalId, sitting.meetingId, on('2026-03-13', '10:00'));
    const decision = sit(w, sitting.meetingId, MAJORITY, CARRIED);
    const proposal = w.proposal(proposalId);
    const resolution = { proposalId, decision, at: on('2026-03-28', '10:05') };
    proposal.run({ type: 'RecordResolution', data: resolution });
    const [published] = publish(w, proposalId, '2026-03-29');
    // M1 is satisfied by the villagers' assembly itself: no authorisation is asked for.
    const [implemented] = proposal.run(report(proposalId, '2026-05-10'));
    const results = { publishedAt: on('2026-06-01', '08:00'), notice: '实施结果公开' };
    const data = { proposalId, ...results, at: on('2026-06-01', '08:05') };
    proposal.run({ type: 'PublishImplementationResults', data });

    const state = proposal.state();
    expect(state.step).toBe('RESULTS_PUBLISHED');
    // A1: the child is on the day's roll but not one of the assembly's twelve members.
    expect(decision).toMatchObject({ outcome: 'PASSED', members: 12, rules: ['A3', 'A4'] });
    expect(state.resolutions).toEqual([
      expect.objectContaining({
        meetingId: 'meeting-03',
        body: 'VILLAGERS_ASSEMBLY',
        outcome: 'PASSED',
        tally: { for: 5, against: 1, abstain: 1, notVoting: 0, attending: 7 },
        members: 12,
        judgements: [
          { ruleId: 'A3', met: true, actual: 7, required: 7, of: 12 },
          { ruleId: 'A4', met: true, actual: 5, required: 4, of: 7 },
        ],
        rules: ['A3', 'A4', 'F1'],
        decidedAt: decision.decidedAt,
      }),
    ]);
    const onTime = { major: true, late: false, rules: ['P1', 'P2', 'F1'] };
    expect(published).toMatchObject({ data: onTime });
    expect(implemented).toMatchObject({ data: { rules: ['F1', 'M1'] } });
  });

  it('A2: a petition of 1/10 of villagers forces the committee to convene an assembly', () => {
    const w = world();
    settle(w);
    const day = '2026-03-02';
    const roll = rollOn(w.village.state(), day).villagers;
    const eligible = roll.filter((entry) => isOfAge(entry.birthDate, day)).map((e) => e.villagerId);
    const petitionId = 'petition-pond-lease';
    const petition = w.petition(petitionId);
    const purpose = { purpose: 'CONVENE_ASSEMBLY', signatories: 'VILLAGERS' } as const;
    const subject = 'Call the assembly on the pond lease';
    const start = { petitionId, villageId: VILLAGE, ...purpose, eligible, subject };
    const started = { startedBy: 'v03', at: on(day, '08:00') };
    petition.run({ type: 'StartPetition', data: { ...start, ...started } });
    const sign = (villagerId: string, time: string) =>
      ({ type: 'SignPetition', data: { petitionId, villagerId, at: on(day, time) } }) as const;
    expect(petition.state().petition?.threshold).toEqual({ ruleId: 'A2', required: 2, of: 12 });
    expect(petition.refusal(sign(CHILD, '08:30'))).toBe('NOT_ON_ROLL A2');

    const proposalId = 'proposal-pond-lease';
    const byPetitioners = { kind: 'PETITION', petitionId } as const;
    draft(w, proposalId, 'COLLECTIVE_PROPERTY_DISPOSAL', 'Re-tender the pond lease', byPetitioners);
    const meeting = w.meeting('meeting-by-petition');
    const byPetition = (time: string) => {
      const thresholdReached = petition.state().thresholdReachedAt !== undefined;
      const convenedBy = { ...byPetitioners, thresholdReached };
      const sitting = sittingOf('meeting-by-petition', day, '2026-03-14', { convenedBy });
      return convening({ ...sitting, noticeAt: on(day, time) }, [itemFor(w, proposalId)]);
    };

    petition.run(sign('v03', '09:00'));
    expect(meeting.refusal(byPetition('09:30'))).toBe('NOT_CONVENED_BY_COMMITTEE_OR_PETITION A2');
    const withdrawal = { petitionId, villagerId: 'v03', at: on(day, '09:40') };
    petition.run({ type: 'WithdrawSignature', data: withdrawal }, sign('v03', '09:50'));
    const judgements = [{ ruleId: 'A2', met: true, actual: 2, required: 2, of: 12 }];
    const duty = { duty: 'CONVENE_VILLAGERS_ASSEMBLY', ruleId: 'A2', judgements };
    expect(petition.run(sign('v08', '10:00'))).toMatchObject([
      { type: 'PetitionSigned', data: { signatures: 2 } },
      { type: 'PetitionThresholdReached', data: duty },
    ]);
    const convenedBy = { ...byPetitioners, thresholdReached: true };
    expect(meeting.run(byPetition('10:30'))).toMatchObject([
      { type: 'MeetingConvened', data: { convenedBy, rules: ['A2'] } },
    ]);
  });

  it("M1 M2: an M1 matter decided by the representatives' assembly needs a live M2 authorisation", () => {
    const villageId = VILLAGE;
    const authorisationId = 'auth-works';
    function publicWorksByRepresentatives(authorisation: 'LIVE' | 'REVOKED' | 'NONE') {
      const w = world();
      settle(w, { offices: true });
      if (authorisation !== 'NONE') {
        const grant = sittingOf('meeting-02', '2026-01-20', '2026-02-07');
        const resolution = decideItem(w, grant, 'AUTHORISATION', 'authorise-public-works');
        const data = { villageId, authorisationId, matters: ['PUBLIC_WORKS'] as const, resolution };
        const granted = { ...data, at: on(grant.date, '11:00') };
        w.village.run({ type: 'RecordAuthorisation', data: granted });
      }
      if (authorisation === 'REVOKED') {
        const revoke = sittingOf('meeting-02b', '2026-02-10', '2026-02-28');
        const resolution = decideItem(w, revoke, 'AUTHORISATION', 'revoke-public-works');
        const data = { villageId, authorisationId, resolution, at: on(revoke.date, '11:00') };
        w.village.run({ type: 'RevokeAuthorisation', data });
      }
      const proposalId = 'proposal-bridge';
      draftAndDeliberate(w, proposalId, 'PUBLIC_WORKS', '修建溪上便桥');
      const seats = representativesAssembly(w.village.state());
      expect(seats.maySit).toBe(true);
      const body = 'REPRESENTATIVES_ASSEMBLY';
      const sitting = sittingOf('meeting-representatives', '2026-03-12', '2026-03-20', { body });
      const attendees = seats.members.map((seat) => seat.villagerId);
      const { decision } = resolveAt(w, proposalId, sitting, attendees, { for: 4, against: 1 });
      publish(w, proposalId, '2026-03-21');
      const live = liveAuthorisation(w.village.state(), 'PUBLIC_WORKS', decision.decidedAt);
      const fact = live && { authorisationId: live.authorisationId, live: true };
      const command = report(proposalId, '2026-05-10', fact);
      return { decision, works: w.proposal(proposalId), command };
    }

    const authorised = publicWorksByRepresentatives('LIVE');
    const byRepresentatives = { body: 'REPRESENTATIVES_ASSEMBLY', members: 5, rules: ['R4'] };
    expect(authorised.decision).toMatchObject({ outcome: 'PASSED', ...byRepresentatives });
    const underM2 = { authorisationId, rules: ['F1', 'M1', 'M2'] };
    expect(authorised.works.run(authorised.command)).toMatchObject([
      { type: 'ImplementationReported', data: underM2 },
    ]);
    for (const without of ['REVOKED', 'NONE'] as const) {
      const { works, command } = publicWorksByRepresentatives(without);
      expect(command.data.authorisation).toBeUndefined();
      expect(works.refusal(command)).toBe('RESOLUTION_REQUIRED M1');
    }
  });

  it('C2: a township correction order suspends a resolution and only a new assembly decision lifts it', () => {
    const w = world();
    settle(w);
    const proposalId = 'proposal-allowance';
    draftAndDeliberate(w, proposalId, 'COLLECTIVE_INCOME_USE', '集体收益分配方案');
    const march = sittingOf('meeting-03', '2026-03-13', '2026-03-28');
    const first = resolveAt(w, proposalId, march, MAJORITY).decision;
    publish(w, proposalId, '2026-03-29');
    const proposal = w.proposal(proposalId);
    const order = { orderId: 'order-007', auditorId: 'township-auditor-li' };
    const legalBasis = 'The allocation leaves out women who married into the village';
    const correction = { proposalId, ...order, legalBasis, at: on('2026-04-02', '10:00') };
    proposal.run({ type: 'OrderCorrection', data: correction });
    expect(proposal.state().step).toBe('SUSPENDED');
    expect(proposal.refusal(report(proposalId, '2026-04-03'))).toBe('PROPOSAL_SUSPENDED C2');

    // The second assembly sits on households: the representatives of four of six attend (A3).
    const quorumBasis = 'HOUSEHOLDS';
    const april = sittingOf('meeting-04', '2026-04-03', '2026-04-18', { quorumBasis });
    const representing = rollOn(w.village.state(), april.date).householdRepresentatives;
    const fourOfSix = Object.values(representing).slice(0, 4);
    const second = resolveAt(w, proposalId, april, fourOfSix, { for: 4 });
    const households = { ruleId: 'A3', met: true, actual: 4, required: 4, of: 6 };
    expect(second.decision.judgements[0]).toEqual(households);
    expect(second.events).toMatchObject([
      { type: 'ProposalResolved', data: { meetingId: 'meeting-04', outcome: 'PASSED' } },
      { type: 'ProposalSuspensionLifted', data: { orderId: 'order-007', rules: ['C2'] } },
    ]);
    publish(w, proposalId, '2026-04-19');
    expect(proposal.run(report(proposalId, '2026-05-10'))).toMatchObject([
      { type: 'ImplementationReported', data: { meetingId: 'meeting-04' } },
    ]);

    // No path changes an outcome: the corrected resolution keeps the tally it was decided with.
    const [corrected, redecided] = proposal.state().resolutions;
    expect(proposal.state().step).toBe('IMPLEMENTED');
    expect(corrected).toMatchObject({
      meetingId: 'meeting-03',
      outcome: 'PASSED',
      tally: { for: 5, against: 1, abstain: 1, notVoting: 0, attending: 7 },
      judgements: first.judgements,
      correction: order,
      implementationReports: [],
    });
    expect(corrected?.tally).toEqual(first.tally);
    expect(redecided?.tally).toEqual(second.decision.tally);
  });

  it("M4: a plan's consent, approval and amendment use real PLAN_CONSENT resolutions", () => {
    const w = world();
    settle(w);
    const planId = 'plan-xiajiang-layout';
    const plan = w.plan(planId);
    const county = '淳安县人民政府';
    const layout = { kind: 'VILLAGE_LAYOUT', title: '下姜村村庄布局规划' } as const;
    const drafted = { planId, villageId: VILLAGE, ...layout, at: on('2026-01-15', '09:00') };
    plan.run({ type: 'DraftPlan', data: drafted });
    const throughM4 = (version: number, announced: string, sitting: Sitting, approved: string) => {
      const ids = { planId, version };
      const document = {
        documentSha256: String(version).repeat(64),
        summary: `Layout v${version}`,
      };
      const announcement = { announcedAt: on(announced, '09:00'), at: on(announced, '09:05') };
      plan.run(
        { type: 'ProposeVersion', data: { ...ids, ...document, at: on(announced, '08:00') } },
        { type: 'AnnounceDraft', data: { ...ids, ...announcement } },
      );
      const decision = decideItem(w, sitting, 'PLAN_CONSENT', `${planId}-v${version}`);
      // What was put to the vote: the handler knows which version the item asked consent to.
      const consent = { ...ids, decision, consentFor: ids, at: on(sitting.date, '11:00') };
      const submission = { ...ids, submittedTo: county, at: on(sitting.date, '15:00') };
      const approval = { ...ids, authority: county, approvedAt: on(approved, '09:00') };
      const [consented] = plan.run(
        { type: 'RecordConsent', data: consent },
        { type: 'SubmitForApproval', data: submission },
        { type: 'ApproveVersion', data: { ...approval, at: on(approved, '09:30') } },
      );
      const noticed = { judgements: [{ ruleId: 'M4', met: true }] };
      expect(consented).toMatchObject({ type: 'PlanConsentRecorded', data: noticed });
      return decision;
    };

    // M4: v1 is announced 2026-02-02 and put to the assembly 40 days later; v2 33 days later.
    const spring = sittingOf('meeting-plan-v1', '2026-02-20', '2026-03-14');
    const first = throughM4(1, '2026-02-02', spring, '2026-04-20');
    const summer = sittingOf('meeting-plan-v2', '2026-05-20', '2026-06-06');
    const second = throughM4(2, '2026-05-04', summer, '2026-07-15');

    const state = plan.state();
    expect(first).toMatchObject({ matter: 'PLAN_CONSENT', outcome: 'PASSED', rules: ['A3', 'A4'] });
    expect(state.currentVersion).toBe(2);
    expect(state.versions).toEqual([
      expect.objectContaining({
        version: 1,
        status: 'SUPERSEDED',
        supersededBy: 2,
        approval: { authority: county, approvedAt: on('2026-04-20', '09:00') },
        consent: itemDecisionOf(first),
      }),
      expect.objectContaining({ version: 2, status: 'APPROVED', consent: itemDecisionOf(second) }),
    ]);
  });
});
