import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import type { Actor, Role } from '../auth/actor';
import { Scope } from '../auth/scope';
import { forbidden } from '../common/errors';
import { PageArgs } from '../graphql/connection';
import { commandContextOf, type GraphQLContext } from '../graphql/context';
import { ReadYourWrites } from '../read-model/read-model.module';
import { Receipts } from '../transparency/receipts';
import { VillageArgs } from '../villages/village.args';
import { type Outcome, PetitionCommands } from './commands/petition-commands';
import { ClosePetitionArgs, PetitionArgs } from './petition.args';
import {
  Petition,
  PetitionConnection,
  PetitionPayload,
  SignaturePayload,
  StartPetitionInput,
} from './petition.types';
import { PetitionQueries } from './read-model/petition.queries';

/** Who signed is shown to the village's officers only; a villager learns only their own part. */
const SEES_SIGNERS: ReadonlySet<Role> = new Set(['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR']);

@Resolver(() => Petition)
export class PetitionsResolver {
  constructor(
    private readonly commands: PetitionCommands,
    private readonly queries: PetitionQueries,
    private readonly scope: Scope,
    private readonly readYourWrites: ReadYourWrites,
    private readonly receipts: Receipts,
  ) {}

  private async visible(actor: Actor | undefined, petitionId: string): Promise<Petition> {
    const villageId = this.queries.villageOf(petitionId);
    const found = villageId === undefined ? undefined : this.queries.petition(petitionId);
    if (
      actor === undefined ||
      found === undefined ||
      !(await this.scope.covers(actor, villageId))
    ) {
      throw forbidden();
    }
    return found;
  }

  private async answer(written: Outcome): Promise<PetitionPayload> {
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, petition: this.queries.petition(written.id) ?? null };
  }

  @Query(() => Petition)
  petition(@Args() { petitionId }: PetitionArgs, @Context() context: GraphQLContext) {
    return this.visible(context.actor, petitionId);
  }

  @Query(() => PetitionConnection)
  async petitions(
    @Args() { villageId }: VillageArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    await this.scope.require(context.actor as Actor, villageId);
    return this.queries.petitionsOf(villageId, page);
  }

  @Mutation(() => PetitionPayload, {
    description: 'A villager starts a petition; who may sign is frozen from the roll of the day.',
  })
  async startPetition(
    @Args('input') input: StartPetitionInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.start(input, commandContextOf(context)));
  }

  @Mutation(() => SignaturePayload, { description: 'A villager signs, as themselves.' })
  async signPetition(
    @Args() { petitionId }: PetitionArgs,
    @Context() context: GraphQLContext,
  ): Promise<SignaturePayload> {
    const written = await this.commands.sign(petitionId, commandContextOf(context));
    const [payload, receipt] = await Promise.all([
      this.answer(written),
      this.receipts.after(written.eventId, written.position),
    ]);
    return { ...payload, receipt };
  }

  @Mutation(() => PetitionPayload, {
    description: 'A villager takes their signature off; refused once the threshold is reached.',
  })
  async withdrawSignature(
    @Args() { petitionId }: PetitionArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.withdraw(petitionId, commandContextOf(context)));
  }

  @Mutation(() => PetitionPayload, { description: 'The clerk closes a petition, with the reason.' })
  async closePetition(
    @Args() { petitionId, reason }: ClosePetitionArgs,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(await this.commands.close(petitionId, reason, commandContextOf(context)));
  }

  @ResolveField(() => Boolean, {
    nullable: true,
    description: 'Whether the caller has signed (a standing signature); null for non-villagers.',
  })
  async signedByMe(@Parent() petition: Petition, @Context() context: GraphQLContext) {
    const actor = context.actor;
    if (actor?.role !== 'VILLAGER' || !(await this.scope.covers(actor, petition.villageId))) {
      return null;
    }
    return this.queries.hasSigned(petition.id, actor.subject);
  }

  @ResolveField(() => [ID], {
    nullable: true,
    description:
      'The villagers whose signatures stand: null unless the caller is an officer of the village.',
  })
  async signers(@Parent() petition: Petition, @Context() context: GraphQLContext) {
    const actor = context.actor;
    if (actor === undefined || !SEES_SIGNERS.has(actor.role)) return null;
    if (!(await this.scope.covers(actor, petition.villageId))) return null;
    return this.queries.signers(petition.id);
  }
}
