/**
 * Quorum and tally, pure and on the frozen roll only. The decider uses these when voting opens and
 * closes; read models and GraphQL use `currentQuorum` to show `quorum { required present reached ruleId }`.
 */
import {
  isM3Matter,
  type Judgement,
  judgeAssemblyDecision,
  judgeAssemblyQuorum,
  judgeLandMatterDecision,
  judgeRepresentativesDecision,
  judgeRepresentativesQuorum,
  type RuleId,
} from '../rule-book/vcol-2018';
import type { ItemOutcome, Tally } from '../shared/vocabulary';
import type { AgendaItem } from './commands';
import type { FrozenRoll, ItemVoting, Meeting, MeetingState } from './state';

/**
 * A3 (villagers' assembly, on members or on households) or R4 (representatives' assembly) for those
 * present. Only frozen members can check in, so everyone present is on the frozen roll.
 */
export function judgeQuorum(
  meeting: Pick<Meeting, 'body' | 'quorumBasis'>,
  roll: FrozenRoll,
  present: ReadonlySet<string>,
): Judgement {
  if (meeting.body === 'REPRESENTATIVES_ASSEMBLY') {
    return judgeRepresentativesQuorum(present.size, roll.members.size);
  }
  if (meeting.quorumBasis === 'HOUSEHOLDS') {
    const represented = roll.households.filter((householdId) => {
      const representative = roll.householdRepresentatives[householdId];
      return representative !== undefined && present.has(representative);
    });
    return judgeAssemblyQuorum('HOUSEHOLDS', represented.length, roll.households.length);
  }
  return judgeAssemblyQuorum('MEMBERS', present.size, roll.members.size);
}

/** The quorum as it stands, once the meeting has opened. */
export function currentQuorum(state: MeetingState): Judgement | undefined {
  if (state.meeting === undefined || state.roll === undefined) return undefined;
  return judgeQuorum(state.meeting, state.roll, state.present);
}

/**
 * Who attends an item at close: the members present then, and those who cast a ballot on it and
 * left afterwards — their ballot was validly cast while they were there, so it is not thrown away,
 * and they count among those attending that the ballot is judged against.
 */
export function attendingAtClose(present: ReadonlySet<string>, item: ItemVoting): Set<string> {
  return new Set([...present, ...item.ballots.keys()]);
}

/** FOR + AGAINST + ABSTAIN + notVoting = attending: not voting counts against (A4). */
export function tallyOf(item: ItemVoting, attending: number): Tally {
  const ballots = [...item.ballots.values()];
  const count = (choice: string) => ballots.filter((ballot) => ballot.choice === choice).length;
  return {
    for: count('FOR'),
    against: count('AGAINST'),
    abstain: count('ABSTAIN'),
    notVoting: attending - ballots.length,
    attending,
  };
}

/** FOR ballots cast by these voters. */
function forBy(item: ItemVoting, voters: ReadonlySet<string>): number {
  return [...item.ballots.entries()].filter(
    ([villagerId, ballot]) => voters.has(villagerId) && ballot.choice === 'FOR',
  ).length;
}

export interface ItemResult {
  readonly outcome: ItemOutcome;
  readonly tally: Tally;
  readonly members: number;
  readonly judgements: readonly Judgement[];
  readonly rules: readonly RuleId[];
  readonly countedBallotIds: readonly string[];
}

/**
 * An item's outcome from the ballots recorded before close. Quorum first (A3/R4 on those present
 * at close; falling short is QUORUM_LOST), then M3 for land matters (FOR against the frozen
 * members, not those attending), else A4 or R4 (FOR against those attending).
 * In the representatives' assembly M3 asks for 2/3 of the *representatives* (RLCL Art. 19(3):
 * 三分之二以上村民代表的同意): committee members who are not representatives are not counted.
 */
export function resultOf(
  meeting: Meeting,
  roll: FrozenRoll,
  present: ReadonlySet<string>,
  agendaItem: AgendaItem,
  item: ItemVoting,
): ItemResult {
  const tally = tallyOf(item, attendingAtClose(present, item).size);
  const members = roll.members.size;
  const quorum = judgeQuorum(meeting, roll, present);
  const judgements = [quorum];
  if (quorum.met) {
    if (isM3Matter(agendaItem.matter)) {
      judgements.push(
        meeting.body === 'REPRESENTATIVES_ASSEMBLY'
          ? judgeLandMatterDecision(forBy(item, roll.representatives), roll.representatives.size)
          : judgeLandMatterDecision(tally.for, members),
      );
    } else if (meeting.body === 'VILLAGERS_ASSEMBLY') {
      judgements.push(judgeAssemblyDecision(tally.for, tally.attending));
    } else {
      judgements.push(judgeRepresentativesDecision(tally.for, tally.attending));
    }
  }
  const outcome: ItemOutcome = !quorum.met
    ? 'QUORUM_LOST'
    : judgements.every((judgement) => judgement.met)
      ? 'PASSED'
      : 'FAILED';
  return {
    outcome,
    tally,
    members,
    judgements,
    rules: [...new Set(judgements.map((judgement) => judgement.ruleId))],
    countedBallotIds: [...item.ballots.values()].map((ballot) => ballot.ballotId),
  };
}
