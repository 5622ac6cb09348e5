import { Args, Context, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { forbidden } from '../common/errors';
import { PageArgs } from '../graphql/connection';
import { commandContextOf, type GraphQLContext } from '../graphql/context';
import { ReadYourWrites } from '../read-model/read-model.module';
import { VillageArgs } from '../villages/village.args';
import { type Outcome, ProposalCommands } from './commands/proposal-commands';
import {
  CorrectionArgs,
  ImplementationArgs,
  ProposalArgs,
  ProposalsArgs,
  ReasonArgs,
} from './proposal.args';
import { DecisionFeed } from './proposal.feed';
import {
  DraftProposalInput,
  Proposal,
  ProposalConnection,
  ProposalPayload,
  PublicationInput,
  RecordDeliberationInput,
} from './proposal.types';
import { ProposalQueries, publicProposal } from './read-model/proposal.queries';

@Resolver(() => Proposal)
export class ProposalsResolver {
  constructor(
    private readonly commands: ProposalCommands,
    private readonly queries: ProposalQueries,
    private readonly scope: Scope,
    private readonly readYourWrites: ReadYourWrites,
    private readonly feed: DecisionFeed,
  ) {}

  /** An integrator reads only published resolutions; anyone else, their scope's proposals. */
  private async visible(actor: Actor, proposalId: string): Promise<Proposal> {
    const scope = this.queries.scopeOf(proposalId);
    const readable =
      scope !== undefined &&
      (actor.role !== 'INTEGRATOR' || scope.published) &&
      (await this.scope.covers(actor, scope.villageId));
    const found = readable ? this.queries.proposal(proposalId) : undefined;
    if (found === undefined) throw forbidden();
    return actor.role === 'INTEGRATOR' ? publicProposal(found) : found;
  }

  private async answer(written: Outcome): Promise<ProposalPayload> {
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, proposal: this.queries.proposal(written.id) ?? null };
  }

  @Query(() => Proposal)
  proposal(@Args() { proposalId }: ProposalArgs, @Context() context: GraphQLContext) {
    return this.visible(context.actor as Actor, proposalId);
  }

  @Query(() => ProposalConnection)
  async proposals(
    @Args() { villageId, status, matter }: ProposalsArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    const actor = context.actor as Actor;
    await this.scope.require(actor, villageId);
    const publishedOnly = actor.role === 'INTEGRATOR';
    const found = this.queries.proposals({ villageId, step: status, matter, publishedOnly }, page);
    if (!publishedOnly) return found;
    return {
      ...found,
      edges: found.edges.map((edge) => ({ ...edge, node: publicProposal(edge.node) })),
    };
  }

  @Mutation(() => ProposalPayload, { description: 'Step 1, 提议.' })
  async draftProposal(
    @Args('input') input: DraftProposalInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.draft(input, commandContextOf(context)));
  }

  @Mutation(() => ProposalPayload, {
    description: 'Steps 2 (商议) and 3 (审议), from their minutes.',
  })
  async recordDeliberation(
    @Args('input') input: RecordDeliberationInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.recordDeliberation(input, commandContextOf(context)));
  }

  @Mutation(() => ProposalPayload, { description: 'Step 5, 决议公开.' })
  async publishResolution(
    @Args('input') input: PublicationInput,
    @Context() context: GraphQLContext,
  ) {
    const { proposalId, ...publication } = input;
    return this.answer(
      await this.commands.publishResolution(proposalId, publication, commandContextOf(context)),
    );
  }

  @Mutation(() => ProposalPayload, { description: 'What was done to carry out the resolution.' })
  async reportImplementation(
    @Args() { proposalId, summary }: ImplementationArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.reportImplementation(proposalId, summary, commandContextOf(context)),
    );
  }

  @Mutation(() => ProposalPayload, { description: 'Step 6, 实施结果公开.' })
  async publishImplementationResults(
    @Args('input') input: PublicationInput,
    @Context() context: GraphQLContext,
  ) {
    const { proposalId, ...publication } = input;
    return this.answer(
      await this.commands.publishImplementationResults(
        proposalId,
        publication,
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => ProposalPayload)
  async withdrawProposal(
    @Args() { proposalId, reason }: ReasonArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.withdraw(proposalId, reason, commandContextOf(context)));
  }

  @Mutation(() => ProposalPayload, {
    description: 'C2 (责令改正): the township orders a correction; it never changes the outcome.',
  })
  async orderCorrection(
    @Args() { proposalId, legalBasis }: CorrectionArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.orderCorrection(proposalId, legalBasis, commandContextOf(context)),
    );
  }

  @Subscription(() => Proposal, {
    description: 'The village’s resolutions as each is published (决议公开).',
    resolve: (proposal: Proposal, _args: unknown, context: GraphQLContext) =>
      context.actor?.role === 'INTEGRATOR' ? publicProposal(proposal) : proposal,
  })
  async decisionPublished(@Args() { villageId }: VillageArgs, @Context() context: GraphQLContext) {
    if (!(await this.scope.covers(context.actor as Actor, villageId))) throw forbidden();
    return this.feed.decisions(villageId);
  }
}
