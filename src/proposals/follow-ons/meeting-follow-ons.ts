import { itemDecisionOf, type meeting, proposal, village } from '@cunyi/domain';
import { Injectable } from '@nestjs/common';
import { Aggregates } from '../../common/aggregates';
import type { CommandContext } from '../../common/command-context';
import { streams } from '../../common/streams';

/**
 * What a proposal records because of its meeting: it is tabled when a meeting is convened with it
 * on the agenda, and resolved (step 4) when the meeting decides its item. Each is idempotent —
 * done once, then a no-op — so the command handler can do it at once, for read-your-writes, and
 * the MeetingOutcomes reactor can do it again after a crash, a conflict or a store failure in
 * between, without a second tabling or resolution.
 */
@Injectable()
export class MeetingFollowOns {
  constructor(private readonly aggregates: Aggregates) {}

  /** Every agenda item's proposal records its tabling. Returns the last position written (0n: none). */
  async table(convened: meeting.MeetingConvened['data'], cause: CommandContext): Promise<bigint> {
    const { state: villageState } = await this.aggregates.load(
      streams.village(convened.villageId),
      village.villageDecider,
    );
    let position = 0n;
    for (const item of convened.agenda) {
      const written = await this.aggregates.executeAll(
        streams.proposal(item.proposalId),
        proposal.proposalDecider,
        cause,
        (state, at): proposal.ProposalCommand[] =>
          state.tablings.some((t) => t.meetingId === convened.meetingId && t.itemId === item.itemId)
            ? []
            : [
                {
                  type: 'TableProposal',
                  data: {
                    proposalId: item.proposalId,
                    meetingId: convened.meetingId,
                    itemId: item.itemId,
                    body: convened.body,
                    practice: villageState.practice,
                    at,
                  },
                },
              ],
      );
      if (written.position > position) position = written.position;
    }
    return position;
  }

  /** The decided item's proposal records the decision. Returns the position written (0n: none). */
  async resolve(decided: meeting.ItemDecided['data'], cause: CommandContext): Promise<bigint> {
    const { meetingId, itemId, proposalId } = decided;
    const written = await this.aggregates.executeAll(
      streams.proposal(proposalId),
      proposal.proposalDecider,
      cause,
      (state, at): proposal.ProposalCommand[] =>
        state.resolutions.some((r) => r.meetingId === meetingId && r.itemId === itemId)
          ? []
          : [
              {
                type: 'RecordResolution',
                data: { proposalId, decision: itemDecisionOf(decided), at },
              },
            ],
    );
    return written.position;
  }
}
