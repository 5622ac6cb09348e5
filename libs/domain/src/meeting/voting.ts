/** Voting on one agenda item: opened with quorum, ballots from present members, closed and decided. */
import { RULE_BOOK_VERSION } from '../rule-book/vcol-2018';
import { refuse } from '../shared/domain-error';
import { requireInstant, requireOneOf, requireText } from '../shared/validate';
import type { CastBallot, CloseVoting, CountersignPaperBallots, OpenVoting } from './commands';
import type {
  BallotCast,
  ItemDecided,
  PaperBallotsCountersigned,
  VotingClosed,
  VotingOpened,
} from './events';
import { requireAgendaItem, requireMember, requireSitting, requireVotingOpen } from './guards';
import type { Ballot, ItemVoting, MeetingState } from './state';
import { judgeQuorum, resultOf } from './tally';

/**
 * Items are voted on one at a time, as an assembly takes them: attendance at close then belongs to
 * one item only.
 */
export function openVoting(
  { meetingId, itemId, at }: OpenVoting['data'],
  state: MeetingState,
): VotingOpened[] {
  requireText(itemId, 'itemId');
  requireInstant(at, 'at');
  const { meeting, roll } = requireSitting(state, meetingId);
  requireAgendaItem(meeting, itemId);
  const status = state.items.get(itemId)?.status;
  if (status === 'CLOSED') refuse('VOTING_CLOSED', `voting on ${itemId} has closed`);
  const open = [...state.items].find(([, item]) => item.status === 'OPEN');
  if (open !== undefined) refuse('STEP_OUT_OF_ORDER', `voting on ${open[0]} is open`);
  const quorum = judgeQuorum(meeting, roll, state.present);
  if (!quorum.met) {
    refuse(
      'QUORUM_NOT_MET',
      `${quorum.actual} present of ${quorum.of}; ${quorum.required} needed`,
      quorum.ruleId,
    );
  }
  return [
    {
      type: 'VotingOpened',
      data: {
        meetingId,
        itemId,
        quorum,
        ruleBook: RULE_BOOK_VERSION,
        rules: [quorum.ruleId],
        at,
      },
    },
  ];
}

/**
 * A member's second ballot on an item is refused unless the meeting's rules let votes change before
 * close; then it is recorded as a ballot that supersedes the earlier one, which stops counting.
 *
 * A PAPER ballot is what a member in the hall hands the clerk, who enters it: it is taken only from
 * a member present having checked in IN_PERSON (WRONG_CHANNEL), and it never supersedes a ballot
 * cast ONLINE, which the villager cast themselves (ALREADY_VOTED, whatever the meeting's practice).
 * Otherwise a clerk could vote for an online attendee, or overwrite their vote (DOMAIN.md: a clerk
 * never casts a ballot).
 */
export function castBallot(data: CastBallot['data'], state: MeetingState): BallotCast[] {
  const { meetingId, itemId, ballotId, villagerId, choice, channel, enteredBy, at } = data;
  requireText(itemId, 'itemId');
  requireText(ballotId, 'ballotId');
  requireText(villagerId, 'villagerId');
  requireOneOf(choice, ['FOR', 'AGAINST', 'ABSTAIN'] as const, 'choice');
  requireOneOf(channel, ['ONLINE', 'PAPER'] as const, 'channel');
  if (channel === 'PAPER') requireText(enteredBy, 'enteredBy');
  else if (enteredBy !== undefined)
    refuse('INVALID_INPUT', 'an ONLINE ballot is cast by the voter');
  requireInstant(at, 'at');
  const { meeting, roll } = requireSitting(state, meetingId);
  requireAgendaItem(meeting, itemId);
  const item = requireVotingOpen(state, itemId);
  requireMember(roll, villagerId);
  if (!state.present.has(villagerId)) refuse('NOT_CHECKED_IN', `${villagerId} is not checked in`);
  if (channel === 'PAPER' && state.checkedInVia.get(villagerId) !== 'IN_PERSON') {
    refuse(
      'WRONG_CHANNEL',
      `a paper ballot is for a member present in person; ${villagerId} checked in online`,
    );
  }
  if (state.ballotIds.has(ballotId)) refuse('ALREADY_EXISTS', `ballot ${ballotId} is recorded`);
  const previous = item.ballots.get(villagerId);
  if (previous !== undefined && !meeting.votesMayChangeBeforeClose) {
    refuse('ALREADY_VOTED', `${villagerId} has voted on ${itemId}`);
  }
  if (previous?.channel === 'ONLINE' && channel === 'PAPER') {
    refuse(
      'ALREADY_VOTED',
      `${villagerId} has voted online on ${itemId}; a paper ballot does not replace it`,
    );
  }
  return [
    {
      type: 'BallotCast',
      data: {
        meetingId,
        itemId,
        ballotId,
        villagerId,
        choice,
        channel,
        ...(enteredBy === undefined ? {} : { enteredBy }),
        ...(previous === undefined ? {} : { supersedes: previous.ballotId }),
        at,
      },
    },
  ];
}

/** Counted paper ballots the supervision committee has not yet countersigned. */
function awaitingCountersignature(item: ItemVoting): Ballot[] {
  return [...item.ballots.values()].filter(
    (ballot) => ballot.channel === 'PAPER' && !ballot.countersigned,
  );
}

export function countersignPaperBallots(
  { meetingId, itemId, supervisorId, at }: CountersignPaperBallots['data'],
  state: MeetingState,
): PaperBallotsCountersigned[] {
  requireText(itemId, 'itemId');
  requireText(supervisorId, 'supervisorId');
  requireInstant(at, 'at');
  const { meeting } = requireSitting(state, meetingId);
  requireAgendaItem(meeting, itemId);
  const pending = awaitingCountersignature(requireVotingOpen(state, itemId));
  if (pending.length === 0) {
    refuse('STEP_OUT_OF_ORDER', `no paper ballots on ${itemId} await countersignature`);
  }
  return [
    {
      type: 'PaperBallotsCountersigned',
      data: {
        meetingId,
        itemId,
        supervisorId,
        ballotIds: pending.map((ballot) => ballot.ballotId),
        at,
      },
    },
  ];
}

/** The outcome is computed here, from the ballots recorded so far and nothing else. */
export function closeVoting(
  { meetingId, itemId, at }: CloseVoting['data'],
  state: MeetingState,
): [VotingClosed, ItemDecided] {
  requireText(itemId, 'itemId');
  requireInstant(at, 'at');
  const { meeting, roll } = requireSitting(state, meetingId);
  const agendaItem = requireAgendaItem(meeting, itemId);
  const item = requireVotingOpen(state, itemId);
  const pending = awaitingCountersignature(item);
  if (pending.length > 0) {
    refuse(
      'COUNTERSIGNATURE_REQUIRED',
      `${pending.length} paper ballots on ${itemId} await the supervision committee`,
    );
  }
  const result = resultOf(meeting, roll, state.present, agendaItem, item);
  return [
    { type: 'VotingClosed', data: { meetingId, itemId, at } },
    {
      type: 'ItemDecided',
      data: {
        meetingId,
        itemId,
        proposalId: agendaItem.proposalId,
        body: meeting.body,
        matter: agendaItem.matter,
        outcome: result.outcome,
        tally: result.tally,
        members: result.members,
        judgements: result.judgements,
        ruleBook: RULE_BOOK_VERSION,
        rules: result.rules,
        decidedAt: at,
        countedBallotIds: result.countedBallotIds,
      },
    },
  ];
}
