import { type ItemDecision, itemDecisionOf, meeting, proposal, refuse } from '@cunyi/domain';
import type { Aggregates } from './aggregates';
import { forbidden } from './errors';
import { streams } from './streams';

/**
 * A meeting's decision on an agenda item, as the proposal it was tabled for accepted it (step 4):
 * what an authorisation (M2) or a plan's consent (M4) rests on. The decision is read from the
 * meeting, never handed in, and only one its proposal recorded counts — a decision the proposal
 * refused (an item it was not tabled for) grants nothing.
 */
export async function resolvedDecision(
  aggregates: Aggregates,
  villageId: string,
  meetingId: string,
  itemId: string,
): Promise<ItemDecision> {
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
  if (!recorded) {
    refuse(
      'RESOLUTION_REQUIRED',
      `proposal ${decided.proposalId} has not recorded the decision of ${meetingId}/${itemId}`,
    );
  }
  return itemDecisionOf(decided);
}
