import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { Scope } from '../auth/scope';
import { forbidden } from '../common/errors';
import { connectionOf, PageArgs } from '../graphql/connection';
import { commandContextOf, type GraphQLContext } from '../graphql/context';
import { GenderEnum } from '../graphql/enums';
import { ReadYourWrites } from '../read-model/read-model.module';
import { type Outcome, type RollImported, VillageCommands } from './commands/village-commands';
import { VillageQueries } from './read-model/village.queries';
import { ImportRollArgs, RollArgs, VillageArgs, VillagerArgs, VillagesArgs } from './village.args';
import {
  DesignateHouseholdRepresentativeInput,
  ElectionInput,
  Me,
  practiceChangesOf,
  RecordAuthorisationInput,
  RegisterHouseholdInput,
  RegisterVillageInput,
  RegisterVillagerInput,
  RemoveVillagerInput,
  RevokeAuthorisationInput,
  RollImportPayload,
  SetPracticeInput,
  Village,
  VillageConnection,
  VillagePayload,
  Villager,
  VillagerConnection,
  VillagerPayload,
} from './village.types';
import { VillageVisibility, villageFilterFor } from './village.visibility';

@Resolver(() => Village)
export class VillagesResolver {
  constructor(
    private readonly commands: VillageCommands,
    private readonly queries: VillageQueries,
    private readonly scope: Scope,
    private readonly visibility: VillageVisibility,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  private async answer(written: Outcome): Promise<VillagePayload> {
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, village: this.queries.village(written.id) ?? null };
  }

  @Query(() => Village)
  async village(@Args() { villageId }: VillageArgs, @Context() context: GraphQLContext) {
    const covered = await this.scope.covers(context.actor as Actor, villageId);
    const found = covered ? this.queries.village(villageId) : undefined;
    if (found === undefined) throw forbidden();
    return found;
  }

  @Query(() => VillageConnection, {
    description: 'An integrator sees every village, an auditor their township’s, others their own.',
  })
  villages(
    @Args() { township }: VillagesArgs,
    @Args() page: PageArgs,
    @Context() context: GraphQLContext,
  ) {
    const filter = villageFilterFor(context.actor as Actor, township);
    if (filter === undefined) return connectionOf([], page, 0, (row: { seq: number }) => row);
    return this.queries.villagesOf(filter, page);
  }

  @Query(() => Villager, { description: 'FORBIDDEN for a villager outside the caller’s scope.' })
  async villager(@Args() { villagerId }: VillagerArgs, @Context() context: GraphQLContext) {
    const villageId = this.queries.villageOfVillager(villagerId);
    const covered = await this.scope.covers(context.actor as Actor, villageId);
    const found = covered ? this.queries.villager(villagerId) : undefined;
    if (found === undefined) throw forbidden();
    return found;
  }

  @Query(() => Me)
  me(@Context() context: GraphQLContext): Me {
    const { subject, role, villageId, township } = context.actor as Actor;
    const own =
      role === 'VILLAGER' || role === 'SUPERVISOR' ? this.queries.villager(subject) : undefined;
    const home = villageId === undefined ? undefined : this.queries.village(villageId);
    return {
      subject,
      role,
      villageId: villageId ?? null,
      township: township ?? home?.township ?? null,
      villager: own !== undefined && own.villageId === villageId ? own : null,
    };
  }

  @ResolveField(() => VillagerConnection, {
    nullable: true,
    description: 'The roll: null unless the caller is an officer of the village.',
  })
  async villagers(
    @Parent() village: Village,
    @Args() page: PageArgs,
    @Args() { onRollOnly }: RollArgs,
    @Context() context: GraphQLContext,
  ) {
    if (!(await this.visibility.seesRoll(context.actor, village.id))) return null;
    return this.queries.villagersOf(village.id, page, onRollOnly);
  }

  @Mutation(() => VillagePayload, { description: 'The village id is the clerk’s choice.' })
  async registerVillage(
    @Args('input') input: RegisterVillageInput,
    @Context() context: GraphQLContext,
  ) {
    const { villageId, name, township, county, province } = input;
    return this.answer(
      await this.commands.registerVillage(
        { villageId, name, township, county, province },
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload, {
    description: 'The village’s practice values (F1, F2, E4, P2).',
  })
  async setPractice(@Args('input') input: SetPracticeInput, @Context() context: GraphQLContext) {
    return this.answer(
      await this.commands.setPractice(
        input.villageId,
        practiceChangesOf(input),
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload)
  async registerHousehold(
    @Args('input') { villageId, householdId, name }: RegisterHouseholdInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.registerHousehold(
        villageId,
        householdId,
        name,
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagerPayload, { description: 'Puts a villager on the roll (from today).' })
  async registerVillager(
    @Args('input') input: RegisterVillagerInput,
    @Context() context: GraphQLContext,
  ): Promise<VillagerPayload> {
    const { villageId, householdId, name, gender, birthDate, residenceBasis } = input;
    const written = await this.commands.registerVillager(
      villageId,
      { householdId, name, gender, birthDate, residenceBasis },
      commandContextOf(context),
    );
    const consistency = await this.readYourWrites.after(written.position);
    return { ...consistency, villager: this.queries.villager(written.id) ?? null };
  }

  @Mutation(() => VillagePayload, {
    description: 'Takes a villager off the roll; the record stays.',
  })
  async removeVillager(
    @Args('input') { villageId, villagerId, reason, effectiveDate }: RemoveVillagerInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.removeVillager(
        villageId,
        { villagerId, reason, effectiveDate },
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload, { description: 'Who represents the household (A3).' })
  async designateHouseholdRepresentative(
    @Args('input') { villageId, householdId, villagerId }: DesignateHouseholdRepresentativeInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.designateHouseholdRepresentative(
        villageId,
        householdId,
        villagerId,
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload, {
    description: 'The representatives (村民代表), R1 and R2 recorded.',
  })
  async electRepresentatives(
    @Args('input') { villageId, memberIds }: ElectionInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.electRepresentatives(villageId, memberIds, commandContextOf(context)),
    );
  }

  @Mutation(() => VillagePayload, { description: 'The committee (村民委员会).' })
  async electCommittee(
    @Args('input') { villageId, memberIds }: ElectionInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.electCommittee(villageId, memberIds, commandContextOf(context)),
    );
  }

  @Mutation(() => VillagePayload, { description: 'The supervision committee (P4).' })
  async electSupervisionCommittee(
    @Args('input') { villageId, memberIds }: ElectionInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.electSupervisionCommittee(
        villageId,
        memberIds,
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload, {
    description: 'M2, from the villagers’ assembly’s resolution on the meeting’s item.',
  })
  async recordAuthorisation(
    @Args('input') input: RecordAuthorisationInput,
    @Context() context: GraphQLContext,
  ) {
    const { villageId, meetingId, itemId } = input;
    return this.answer(
      await this.commands.recordAuthorisation(
        villageId,
        { meetingId, itemId },
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => VillagePayload, { description: 'M2, by a later villagers’ assembly resolution.' })
  async revokeAuthorisation(
    @Args('input') { villageId, authorisationId, meetingId, itemId }: RevokeAuthorisationInput,
    @Context() context: GraphQLContext,
  ) {
    return this.answer(
      await this.commands.revokeAuthorisation(
        villageId,
        authorisationId,
        { meetingId, itemId },
        commandContextOf(context),
      ),
    );
  }

  @Mutation(() => RollImportPayload, {
    description: 'The household register (CSV) in one append: every row, or INVALID_ROLL_CSV.',
  })
  async importRoll(
    @Args() { villageId, csv }: ImportRollArgs,
    @Context() context: GraphQLContext,
  ): Promise<RollImportPayload> {
    const imported: RollImported = await this.commands.importRoll(
      villageId,
      csv,
      commandContextOf(context),
    );
    const { households, villagers } = imported;
    return { ...(await this.answer(imported)), households, villagers };
  }
}

/** A villager's personal fields: the villager themselves and the village's officers only. */
@Resolver(() => Villager)
export class VillagerResolver {
  constructor(private readonly visibility: VillageVisibility) {}

  private async personal<K extends keyof Villager['personal']>(
    villager: Villager,
    field: K,
    context: GraphQLContext,
  ): Promise<Villager['personal'][K] | null> {
    const sees = await this.visibility.seesPersonal(context.actor, villager);
    return sees ? villager.personal[field] : null;
  }

  @ResolveField(() => String, { nullable: true })
  name(@Parent() villager: Villager, @Context() context: GraphQLContext) {
    return this.personal(villager, 'name', context);
  }

  @ResolveField(() => GenderEnum, { nullable: true })
  gender(@Parent() villager: Villager, @Context() context: GraphQLContext) {
    return this.personal(villager, 'gender', context);
  }

  @ResolveField(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  birthDate(@Parent() villager: Villager, @Context() context: GraphQLContext) {
    return this.personal(villager, 'birthDate', context);
  }
}
