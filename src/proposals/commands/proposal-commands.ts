import { randomUUID } from 'node:crypto';
import { isM1Matter, type Matter, plan, proposal, refuse, village } from '@cunyi/domain';
import { Injectable } from '@nestjs/common';
import { Scope } from '../../auth/scope';
import { Aggregates } from '../../common/aggregates';
import type { CommandContext } from '../../common/command-context';
import { streams } from '../../common/streams';

export interface Outcome {
  readonly id: string;
  readonly position: bigint;
}

export interface DraftProposalInput {
  readonly villageId: string;
  readonly title: string;
  readonly body: string;
  readonly matter: Matter;
  readonly proposer: 'PARTY_BRANCH' | 'COMMITTEE' | 'PETITION';
  readonly petitionId?: string;
  /** M2: what an AUTHORISATION proposal hands over (GraphQL may send null for none). */
  readonly authorisation?: {
    readonly matters: readonly Matter[];
    readonly expiresAt?: string | null;
  } | null;
  /** M4: the plan version a PLAN_CONSENT proposal asks consent for. */
  readonly plan?: { readonly planId: string; readonly version: number } | null;
}

export interface DeliberationInput {
  readonly proposalId: string;
  readonly step: proposal.DeliberationStep;
  readonly heldAt: string;
  readonly members: number;
  readonly attending: number;
  readonly agreeing: number;
  readonly minutesSha256: string;
}

/**
 * Steps 1–3 and 5–6 of 四议两公开 as the clerk records them, and the township's correction order.
 * Step 4 is not here: a proposal is tabled when a meeting is convened with it on the agenda, and
 * resolved when that meeting closes voting on it (MeetingCommands). The village's own practice
 * (F1, F2, P2) is read from the village and handed to the decider.
 */
@Injectable()
export class ProposalCommands {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly scope: Scope,
  ) {}

  private async run(
    proposalId: string,
    context: CommandContext,
    commandOf: (
      state: proposal.ProposalState,
      at: string,
      villageId: string,
    ) => proposal.ProposalCommand | Promise<proposal.ProposalCommand>,
  ): Promise<Outcome> {
    const { position } = await this.aggregates.execute(
      streams.proposal(proposalId),
      proposal.proposalDecider,
      context,
      async (state, at) => {
        const villageId = state.proposal?.villageId;
        await this.scope.require(context.actor, villageId);
        return commandOf(state, at, villageId as string);
      },
    );
    return { id: proposalId, position };
  }

  private async villageState(villageId: string): Promise<village.VillageState> {
    return (await this.aggregates.load(streams.village(villageId), village.villageDecider)).state;
  }

  async draft(input: DraftProposalInput, context: CommandContext): Promise<Outcome> {
    await this.scope.require(context.actor, input.villageId);
    const proposalId = randomUUID();
    const proposer: proposal.Proposer =
      input.proposer === 'PETITION'
        ? {
            kind: 'PETITION',
            petitionId:
              input.petitionId ??
              refuse('INVALID_INPUT', 'a petition proposal names its petitionId'),
          }
        : { kind: input.proposer };
    const { authorisation, plan: planSubject } = input;
    if (planSubject != null) await this.requirePlanOf(input.villageId, planSubject.planId);
    const { position } = await this.aggregates.execute(
      streams.proposal(proposalId),
      proposal.proposalDecider,
      context,
      (_, at): proposal.ProposalCommand => ({
        type: 'DraftProposal',
        data: {
          proposalId,
          villageId: input.villageId,
          title: input.title,
          body: input.body,
          matter: input.matter,
          proposer,
          draftedBy: context.actor.subject,
          // The decider requires each for its matter and refuses it on any other (M2, M4).
          ...(authorisation == null
            ? {}
            : {
                authorisation: {
                  matters: [...authorisation.matters],
                  ...(authorisation.expiresAt == null
                    ? {}
                    : { expiresAt: authorisation.expiresAt }),
                },
              }),
          ...(planSubject == null
            ? {}
            : { plan: { planId: planSubject.planId, version: planSubject.version } }),
          at,
        },
      }),
    );
    return { id: proposalId, position };
  }

  /** M4: a village asks consent only to its own plan; another village's reads as none at all. */
  private async requirePlanOf(villageId: string, planId: string): Promise<void> {
    const { state } = await this.aggregates.load(streams.plan(planId), plan.planDecider);
    if (state.plan?.villageId !== villageId) {
      refuse('NOT_FOUND', `plan ${planId} is not a plan of village ${villageId}`);
    }
  }

  recordDeliberation(input: DeliberationInput, context: CommandContext): Promise<Outcome> {
    return this.run(input.proposalId, context, async (_, at, villageId) => ({
      type: 'RecordDeliberation',
      data: {
        proposalId: input.proposalId,
        step: input.step,
        heldAt: input.heldAt,
        counts: { members: input.members, attending: input.attending, agreeing: input.agreeing },
        minutesSha256: input.minutesSha256,
        practice: (await this.villageState(villageId)).practice,
        at,
      },
    }));
  }

  publishResolution(
    proposalId: string,
    publication: { publishedAt: string; notice: string },
    context: CommandContext,
  ): Promise<Outcome> {
    return this.run(proposalId, context, async (_, at, villageId) => ({
      type: 'PublishResolution',
      data: {
        proposalId,
        ...publication,
        practice: (await this.villageState(villageId)).practice,
        at,
      },
    }));
  }

  /**
   * M2: where a representatives' assembly resolved an M1 matter, the village's authorisation live
   * when it decided is looked up here and handed over; without one the decider refuses.
   */
  reportImplementation(proposalId: string, summary: string, context: CommandContext) {
    return this.run(proposalId, context, async (state, at, villageId) => {
      const resolution = proposal.currentResolution(state);
      const matter = state.proposal?.matter;
      const underAuthorisation =
        resolution?.body === 'REPRESENTATIVES_ASSEMBLY' &&
        matter !== undefined &&
        isM1Matter(matter);
      const live =
        underAuthorisation && resolution !== undefined && matter !== undefined
          ? village.liveAuthorisation(
              await this.villageState(villageId),
              matter,
              resolution.decidedAt,
            )
          : undefined;
      return {
        type: 'ReportImplementation',
        data: {
          proposalId,
          summary,
          ...(live === undefined
            ? {}
            : { authorisation: { authorisationId: live.authorisationId, live: true } }),
          at,
        },
      };
    });
  }

  publishImplementationResults(
    proposalId: string,
    publication: { publishedAt: string; notice: string },
    context: CommandContext,
  ): Promise<Outcome> {
    return this.run(proposalId, context, (_, at) => ({
      type: 'PublishImplementationResults',
      data: { proposalId, ...publication, at },
    }));
  }

  withdraw(proposalId: string, reason: string, context: CommandContext): Promise<Outcome> {
    return this.run(proposalId, context, (_, at) => ({
      type: 'WithdrawProposal',
      data: { proposalId, reason, at },
    }));
  }

  /** C2: the auditor orders; the resolution stands as recorded, suspended until villagers decide again. */
  orderCorrection(
    proposalId: string,
    legalBasis: string,
    context: CommandContext,
  ): Promise<Outcome> {
    return this.run(proposalId, context, (_, at) => ({
      type: 'OrderCorrection',
      data: {
        proposalId,
        orderId: randomUUID(),
        auditorId: context.actor.subject,
        legalBasis,
        at,
      },
    }));
  }
}
