import { randomUUID } from 'node:crypto';
import { plan, refuse } from '@cunyi/domain';
import { Injectable } from '@nestjs/common';
import { Scope } from '../../auth/scope';
import { Aggregates } from '../../common/aggregates';
import type { CommandContext } from '../../common/command-context';
import { resolvedDecision } from '../../common/resolved-decision';
import { streams } from '../../common/streams';

export interface DraftPlanInput {
  readonly villageId: string;
  readonly kind: plan.PlanKind;
  readonly title: string;
}

export interface ProposeVersionInput {
  readonly planId: string;
  readonly version: number;
  readonly documentSha256: string;
  readonly summary: string;
}

export interface AnnounceDraftInput {
  readonly planId: string;
  readonly version: number;
  readonly announcedAt: string;
}

export interface RecordConsentInput {
  readonly planId: string;
  readonly version: number;
  readonly meetingId: string;
  readonly itemId: string;
}

export interface SubmitInput {
  readonly planId: string;
  readonly version: number;
  readonly submittedTo: string;
}

export interface ApproveInput {
  readonly planId: string;
  readonly version: number;
  readonly authority: string;
  readonly approvedAt: string;
}

/** What a command handler hands back: the plan and where its last event landed. */
export interface Outcome {
  readonly id: string;
  readonly position: bigint;
}

/**
 * A village plan's path to approval (M4), as the clerk records it: drafted, each version
 * proposed, its draft announced, the assembly's consent, submission, approval. 一张蓝图绘到底:
 * a change after approval is a new version that goes the whole way again.
 */
@Injectable()
export class PlanCommands {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly scope: Scope,
  ) {}

  private async run(
    planId: string,
    context: CommandContext,
    commandOf: (
      state: plan.PlanState,
      at: string,
      villageId: string,
    ) => plan.PlanCommand | Promise<plan.PlanCommand>,
  ): Promise<Outcome> {
    const { position } = await this.aggregates.execute(
      streams.plan(planId),
      plan.planDecider,
      context,
      async (state, at) => {
        const villageId = state.plan?.villageId;
        await this.scope.require(context.actor, villageId);
        return commandOf(state, at, villageId as string);
      },
    );
    return { id: planId, position };
  }

  async draft(input: DraftPlanInput, context: CommandContext): Promise<Outcome> {
    await this.scope.require(context.actor, input.villageId);
    const planId = randomUUID();
    const { position } = await this.aggregates.execute(
      streams.plan(planId),
      plan.planDecider,
      context,
      (_, at): plan.DraftPlan => ({
        type: 'DraftPlan',
        data: { planId, villageId: input.villageId, kind: input.kind, title: input.title, at },
      }),
    );
    return { id: planId, position };
  }

  proposeVersion(input: ProposeVersionInput, context: CommandContext): Promise<Outcome> {
    return this.run(input.planId, context, (_, at) => ({
      type: 'ProposeVersion',
      data: {
        planId: input.planId,
        version: input.version,
        documentSha256: input.documentSha256,
        summary: input.summary,
        at,
      },
    }));
  }

  announceDraft(input: AnnounceDraftInput, context: CommandContext): Promise<Outcome> {
    return this.run(input.planId, context, (_, at) => ({
      type: 'AnnounceDraft',
      data: {
        planId: input.planId,
        version: input.version,
        announcedAt: input.announcedAt,
        at,
      },
    }));
  }

  /**
   * The decision is the meeting's own record of the agenda item, never one handed in, and the
   * version it consented to (`consentFor`) is the one its PLAN_CONSENT proposal put to the vote.
   * The clerk's `planId` and `version` only say which plan is being changed: the decider checks
   * they are the version consented to, that the decision is a passed PLAN_CONSENT matter agreeing
   * with its tally, and that it came 30 days or more after the announcement (M4).
   */
  recordConsent(input: RecordConsentInput, context: CommandContext): Promise<Outcome> {
    const { planId, version, meetingId, itemId } = input;
    return this.run(planId, context, async (_, at, villageId) => {
      const { decision, proposal } = await resolvedDecision(
        this.aggregates,
        villageId,
        meetingId,
        itemId,
      );
      // What the assembly consented to is what its proposal put to the vote; the domain compares
      // it with the plan version being changed (M4). A proposal that never named one consents to
      // nothing.
      const consentFor =
        proposal.plan ??
        refuse(
          'CONSENT_REQUIRED',
          `proposal ${proposal.proposalId} does not name the plan version it asks consent for`,
          'M4',
        );
      return {
        type: 'RecordConsent',
        data: {
          planId,
          version,
          decision,
          consentFor: { planId: consentFor.planId, version: consentFor.version },
          at,
        },
      };
    });
  }

  submitForApproval(input: SubmitInput, context: CommandContext): Promise<Outcome> {
    return this.run(input.planId, context, (_, at) => ({
      type: 'SubmitForApproval',
      data: {
        planId: input.planId,
        version: input.version,
        submittedTo: input.submittedTo,
        at,
      },
    }));
  }

  recordApproval(input: ApproveInput, context: CommandContext): Promise<Outcome> {
    return this.run(input.planId, context, (_, at) => ({
      type: 'ApproveVersion',
      data: {
        planId: input.planId,
        version: input.version,
        authority: input.authority,
        approvedAt: input.approvedAt,
        at,
      },
    }));
  }
}
