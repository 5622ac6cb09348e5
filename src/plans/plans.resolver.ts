import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { forbidden } from '../common/errors';
import { PageArgs } from '../graphql/connection';
import { commandContextOf, type GraphQLContext } from '../graphql/context';
import { ReadYourWrites } from '../read-model/read-model.module';
import { VillageArgs } from '../villages/village.args';
import { type Outcome, PlanCommands } from './commands/plan-commands';
import { PlanArgs } from './plan.args';
import {
  AnnouncePlanDraftInput,
  DraftPlanInput,
  Plan,
  PlanConnection,
  PlanPayload,
  ProposePlanVersionInput,
  RecordPlanApprovalInput,
  RecordPlanConsentInput,
  SubmitPlanForApprovalInput,
} from './plan.types';
import { PlanQueries } from './read-model/plan.queries';

/** Plans are public: every role reads those of its scope (an integrator, every village's). */
/** Villagers and integrators read a plan once its draft is publicly announced (M4). */
const PUBLIC_ONLY: ReadonlySet<string> = new Set(['VILLAGER', 'INTEGRATOR']);

@Resolver(() => Plan)
export class PlansResolver {
  constructor(
    private readonly commands: PlanCommands,
    private readonly queries: PlanQueries,
    private readonly scope: Scope,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  private async visible(actor: Actor | undefined, planId: string): Promise<Plan> {
    const villageId = this.queries.villageOf(planId);
    const found = villageId === undefined ? undefined : this.queries.plan(planId);
    if (
      actor === undefined ||
      found === undefined ||
      (PUBLIC_ONLY.has(actor.role) && !found.versions.some((v) => v.announcedAt !== null)) ||
      !(await this.scope.covers(actor, villageId))
    ) {
      throw forbidden();
    }
    return found;
  }

  private async answer(written: Outcome): Promise<PlanPayload> {
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, plan: this.queries.plan(written.id) ?? null };
  }

  @Query(() => Plan)
  plan(@Args() { planId }: PlanArgs, @Context() context: GraphQLContext) {
    return this.visible(context.actor, planId);
  }

  @Query(() => PlanConnection)
  async plans(
    @Args() { villageId }: VillageArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    const actor = context.actor as Actor;
    await this.scope.require(actor, villageId);
    return this.queries.plansOf(villageId, page, PUBLIC_ONLY.has(actor.role));
  }

  @Mutation(() => PlanPayload, { description: 'The clerk opens a plan of the "1+4" system.' })
  async draftPlan(@Args('input') input: DraftPlanInput, @Context() context: GraphQLContext) {
    return this.answer(await this.commands.draft(input, commandContextOf(context)));
  }

  @Mutation(() => PlanPayload, {
    description: 'The next version of the plan; a version is never edited (一张蓝图绘到底).',
  })
  async proposePlanVersion(
    @Args('input') input: ProposePlanVersionInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.proposeVersion(input, commandContextOf(context)));
  }

  @Mutation(() => PlanPayload, { description: 'M4: the draft is announced to the public.' })
  async announcePlanDraft(
    @Args('input') input: AnnouncePlanDraftInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.announceDraft(input, commandContextOf(context)));
  }

  @Mutation(() => PlanPayload, {
    description: 'M4: the assembly’s consent, from the decision its meeting recorded.',
  })
  async recordPlanConsent(
    @Args('input') input: RecordPlanConsentInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.recordConsent(input, commandContextOf(context)));
  }

  @Mutation(() => PlanPayload, { description: 'M4: refused without the assembly’s consent.' })
  async submitPlanForApproval(
    @Args('input') input: SubmitPlanForApprovalInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.submitForApproval(input, commandContextOf(context)));
  }

  @Mutation(() => PlanPayload, {
    description: 'The approved version becomes the blueprint in force.',
  })
  async recordPlanApproval(
    @Args('input') input: RecordPlanApprovalInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.recordApproval(input, commandContextOf(context)));
  }
}
