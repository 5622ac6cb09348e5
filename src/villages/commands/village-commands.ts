import { randomUUID } from 'node:crypto';
import { DomainError, refuse, type VillagePractice, village } from '@cunyi/domain';
import { Injectable } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { Scope } from '../../auth/scope';
import { Aggregates } from '../../common/aggregates';
import type { CommandContext } from '../../common/command-context';
import { badUserInput } from '../../common/errors';
import { resolvedDecision } from '../../common/resolved-decision';
import { streams } from '../../common/streams';
import { parseRollCsv, RollCsvError, type RollCsvProblem } from '../roll-csv';
import { VILLAGE_ID } from '../village.args';

/** What a command handler hands back: the id of what it registered and where its last event landed. */
export interface Outcome {
  readonly id: string;
  readonly position: bigint;
}

export interface RollImported extends Outcome {
  /** Households newly registered (those already registered are reused). */
  readonly households: number;
  readonly villagers: number;
}

export interface RegisterVillageInput {
  readonly villageId: string;
  readonly name: string;
  readonly township: string;
  readonly county: string;
  readonly province: string;
}

export interface NewVillager {
  readonly householdId: string;
  readonly name: string;
  readonly gender: village.RegisterVillager['data']['gender'];
  readonly birthDate: string;
  readonly residenceBasis: village.ResidenceBasis;
}

/** The item of a villagers' assembly whose resolution grants (or revokes) an authorisation (M2). */
export interface ResolutionRef {
  readonly meetingId: string;
  readonly itemId: string;
}

type VillageCommand = village.VillageCommand;

/** A refused roll, as GraphQL shows it: every problem, each with the line a clerk sees. */
export function invalidRollCsv(problems: readonly RollCsvProblem[]): GraphQLError {
  const message = `the roll CSV was refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first on line ${problems[0]?.line ?? 1}`;
  return new GraphQLError(message, { extensions: { code: 'INVALID_ROLL_CSV', problems } });
}

/**
 * The village's commands: the clerk keeps the roll and records elections and authorisations. Each
 * checks first that the caller acts for the village, then lets the village's decider judge.
 */
@Injectable()
export class VillageCommands {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly scope: Scope,
  ) {}

  private async run(
    villageId: string,
    context: CommandContext,
    commandOf: (
      state: village.VillageState,
      at: string,
    ) => VillageCommand | Promise<VillageCommand>,
  ): Promise<Outcome> {
    await this.scope.require(context.actor, villageId);
    const { position } = await this.aggregates.execute(
      streams.village(villageId),
      village.villageDecider,
      context,
      commandOf,
    );
    return { id: villageId, position };
  }

  registerVillage(input: RegisterVillageInput, context: CommandContext): Promise<Outcome> {
    if (!VILLAGE_ID.test(input.villageId)) {
      throw badUserInput('villageId', 'lowercase letters, digits and dashes');
    }
    return this.run(input.villageId, context, (_, at) => ({
      type: 'RegisterVillage',
      data: { ...input, at },
    }));
  }

  /** Only the values given change: the event records the whole practice as it then stands. */
  setPractice(villageId: string, changes: Partial<VillagePractice>, context: CommandContext) {
    return this.run(villageId, context, (state, at) => ({
      type: 'SetPractice',
      data: { villageId, practice: { ...state.practice, ...changes }, at },
    }));
  }

  registerHousehold(villageId: string, householdId: string, name: string, context: CommandContext) {
    return this.run(villageId, context, (_, at) => ({
      type: 'RegisterHousehold',
      data: { villageId, householdId, name, at },
    }));
  }

  async registerVillager(villageId: string, villager: NewVillager, context: CommandContext) {
    const villagerId = randomUUID();
    const { position } = await this.run(villageId, context, (_, at) => ({
      type: 'RegisterVillager',
      data: { villageId, villagerId, ...villager, at },
    }));
    return { id: villagerId, position };
  }

  removeVillager(
    villageId: string,
    removal: { villagerId: string; reason: village.RemovalReason; effectiveDate: string },
    context: CommandContext,
  ) {
    return this.run(villageId, context, (_, at) => ({
      type: 'RemoveVillager',
      data: { villageId, ...removal, at },
    }));
  }

  designateHouseholdRepresentative(
    villageId: string,
    householdId: string,
    villagerId: string,
    context: CommandContext,
  ) {
    return this.run(villageId, context, (_, at) => ({
      type: 'DesignateHouseholdRepresentative',
      data: { villageId, householdId, villagerId, at },
    }));
  }

  electRepresentatives(villageId: string, representativeIds: string[], context: CommandContext) {
    return this.run(villageId, context, (_, at) => ({
      type: 'ElectRepresentatives',
      data: { villageId, representativeIds, at },
    }));
  }

  electCommittee(villageId: string, memberIds: string[], context: CommandContext) {
    return this.run(villageId, context, (_, at) => ({
      type: 'ElectCommittee',
      data: { villageId, memberIds, at },
    }));
  }

  electSupervisionCommittee(villageId: string, memberIds: string[], context: CommandContext) {
    return this.run(villageId, context, (_, at) => ({
      type: 'ElectSupervisionCommittee',
      data: { villageId, memberIds, at },
    }));
  }

  /**
   * M2: granted by the assembly's resolution, which is read from the meeting, never from the
   * client — and so are the matters it hands over and its expiry: they are what the AUTHORISATION
   * proposal put to the vote. A proposal drafted before it said so grants nothing.
   */
  recordAuthorisation(villageId: string, grant: ResolutionRef, context: CommandContext) {
    const authorisationId = randomUUID();
    return this.run(villageId, context, async (_, at) => {
      const { decision, proposal } = await this.resolutionOf(villageId, grant);
      const voted =
        proposal.authorisation ??
        refuse(
          'AUTHORISATION_INVALID',
          `proposal ${proposal.proposalId} does not name the matters it hands to the representatives’ assembly`,
          'M2',
        );
      return {
        type: 'RecordAuthorisation',
        data: {
          villageId,
          authorisationId,
          matters: voted.matters,
          resolution: decision,
          ...(voted.expiresAt === undefined ? {} : { expiresAt: voted.expiresAt }),
          at,
        },
      };
    });
  }

  revokeAuthorisation(
    villageId: string,
    authorisationId: string,
    revoking: ResolutionRef,
    context: CommandContext,
  ) {
    return this.run(villageId, context, async (_, at) => ({
      type: 'RevokeAuthorisation',
      data: {
        villageId,
        authorisationId,
        resolution: (await this.resolutionOf(villageId, revoking)).decision,
        at,
      },
    }));
  }

  /**
   * The whole household register in one append: every household not yet registered, then every
   * villager, each judged by the decider before anything is stored. All or nothing: a row the
   * decider refuses is reported with its line, like the parser's own problems.
   */
  async importRoll(villageId: string, csv: string, context: CommandContext): Promise<RollImported> {
    await this.scope.require(context.actor, villageId);
    const roll = this.parse(csv);
    let households = 0;
    const { position } = await this.aggregates.executeAll(
      streams.village(villageId),
      village.villageDecider,
      context,
      (state, at) => {
        const rows = rollCommands(villageId, roll, state, at);
        households = rows.filter((row) => row.command.type === 'RegisterHousehold').length;
        return rows.map((row) => row.command);
      },
    );
    return { id: villageId, position, households, villagers: roll.villagers.length };
  }

  private parse(csv: string): ReturnType<typeof parseRollCsv> {
    try {
      return parseRollCsv(csv);
    } catch (error) {
      if (error instanceof RollCsvError) throw invalidRollCsv(error.problems);
      throw error;
    }
  }

  /** The decision the meeting recorded, and the proposal that accepted it (resolved-decision.ts). */
  private resolutionOf(villageId: string, { meetingId, itemId }: ResolutionRef) {
    return resolvedDecision(this.aggregates, villageId, meetingId, itemId);
  }
}

interface RollRow {
  readonly line: number;
  readonly command: village.RegisterHousehold | village.RegisterVillager;
}

/**
 * The roll's commands, dry-run against the state in order: each row the decider would refuse
 * becomes a problem on its line (a household's on the line of its first villager). A villager
 * already on the roll (same household, name and birth date) is refused, so a register imported
 * twice does not double the roll.
 */
function rollCommands(
  villageId: string,
  roll: ReturnType<typeof parseRollCsv>,
  state: village.VillageState,
  at: string,
): RollRow[] {
  if (state.village?.villageId !== villageId) {
    refuse('NOT_FOUND', `village ${villageId} is not registered`);
  }
  const firstLine = new Map<string, number>();
  for (const { householdId, line } of roll.villagers) {
    if (!firstLine.has(householdId)) firstLine.set(householdId, line);
  }
  const rows: RollRow[] = [
    ...roll.households
      .filter(({ householdId }) => !state.households.has(householdId))
      .map(({ householdId, name }) => ({
        line: firstLine.get(householdId) ?? 1,
        command: {
          type: 'RegisterHousehold' as const,
          data: { villageId, householdId, name, at },
        },
      })),
    ...roll.villagers.map(({ line, ...villager }) => ({
      line,
      command: {
        type: 'RegisterVillager' as const,
        data: { villageId, villagerId: randomUUID(), ...villager, at },
      },
    })),
  ];
  const onRoll = new Map(
    [...state.villagers.values()]
      .filter((villager) => villager.removal === undefined)
      .map((v) => [personKey(v), v.villagerId]),
  );
  const problems: RollCsvProblem[] = [];
  let next = state;
  for (const { line, command } of rows) {
    if (command.type === 'RegisterVillager') {
      const already = onRoll.get(personKey(command.data));
      if (already !== undefined) {
        problems.push({
          line,
          message: `${command.data.name} (born ${command.data.birthDate}, household ${command.data.householdId}) is already on the roll as ${already}`,
        });
        continue;
      }
    }
    try {
      const events = village.villageDecider.decide(command, next);
      next = events.reduce(village.villageDecider.evolve, next);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ line, message: error.message });
    }
  }
  if (problems.length > 0) throw invalidRollCsv(problems.sort((a, b) => a.line - b.line));
  return rows;
}

const personKey = (v: { householdId: string; name: string; birthDate: string }) =>
  [v.householdId, v.name, v.birthDate].join('\u0000');
