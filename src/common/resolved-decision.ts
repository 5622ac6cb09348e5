import { type ItemDecision, itemDecisionOf, meeting, proposal, refuse } from '@cunyi/domain';
import type { Aggregates } from './aggregates';
import { forbidden } from './errors';
import { streams } from './streams';

/** A resolved item: the meeting's decision, and the proposal it decided — what was voted on. */
export interface ResolvedDecision {
  readonly decision: ItemDecision;
  /** Its `authorisation` (M2) or `plan` (M4) says what the decision grants or consents to. */
  readonly proposal: proposal.Proposal;
}

/**
 * A meeting's decision on an agenda item, as the proposal it was tabled for accepted it (step 4):
 * what an authorisation (M2) or a plan's consent (M4) rests on. The decision is read from the
 * meeting, never handed in, and only one its proposal recorded counts — a decision the proposal
 * refused (an item it was not tabled for) grants nothing. The proposal comes with it: what the
 * decision grants is what the proposal put to the vote, never what a client says it was.
 */
export async function resolvedDecision(
  aggregates: Aggregates,
  villageId: string,
  meetingId: string,
  itemId: string,
): Promise<ResolvedDecision> {
  const { state } = await aggregates.load(streams.meeting(meetingId), meeting.meetingDecider);
  if (state.meeting?.villageId !== villageId) throw forbidden();
  const decided =
    state.items.get(itemId)?.decision ??
    refuse('NOT_FOUND', `item ${itemId} of meeting ${meetingId} has no decision`);
  const { state: tabled } = await aggregates.load(
    streams.proposal(decided.proposalId),
    proposal.proposalDecider,
  );
  const recorded = tabled.resolutions.some(
    (resolution) => resolution.meetingId === meetingId && resolution.itemId === itemId,
  );
  if (!recorded || tabled.proposal === undefined) {
    refuse(
      'RESOLUTION_REQUIRED',
      `proposal ${decided.proposalId} has not recorded the decision of ${meetingId}/${itemId}`,
    );
  }
  return { decision: itemDecisionOf(decided), proposal: tabled.proposal };
}
