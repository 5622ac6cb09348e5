import { randomUUID } from 'node:crypto';
import { dateOf, isOfAge, type PetitionPurpose, petition, refuse, village } from '@cunyi/domain';
import { Injectable } from '@nestjs/common';
import { Scope } from '../../auth/scope';
import { Aggregates, type Appended, idOfEvent } from '../../common/aggregates';
import type { CommandContext } from '../../common/command-context';
import { streams } from '../../common/streams';

export interface StartPetitionInput {
  readonly villageId: string;
  readonly purpose: PetitionPurpose;
  readonly signatories: petition.Signatories;
  readonly subject: string;
  readonly recall?: petition.RecallDemand;
}

/** What a command handler hands back: the petition and where its last event landed. */
export interface Outcome {
  readonly id: string;
  readonly position: bigint;
}

/**
 * The petition's commands (联名提议). Villagers start and sign for themselves; the clerk closes a
 * petition that lapsed. Who may sign is read here from the village's roll on the day the petition
 * starts and frozen in the petition: the threshold (A2, R3, E5, P6) is counted against them.
 */
@Injectable()
export class PetitionCommands {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly scope: Scope,
  ) {}

  private async run(
    petitionId: string,
    context: CommandContext,
    commandOf: (state: petition.PetitionState, at: string) => petition.PetitionCommand,
  ): Promise<Appended<petition.PetitionEvent> & Outcome> {
    const appended = await this.aggregates.execute(
      streams.petition(petitionId),
      petition.petitionDecider,
      context,
      async (state, at) => {
        await this.scope.require(context.actor, state.petition?.villageId);
        return commandOf(state, at);
      },
    );
    return { ...appended, id: petitionId };
  }

  /**
   * The decider does not require the starter to be among those who may sign, nor does starting
   * sign: the starter signs like everyone else, and only an eligible villager's signature counts.
   */
  async start(input: StartPetitionInput, context: CommandContext): Promise<Outcome> {
    await this.scope.require(context.actor, input.villageId);
    const petitionId = randomUUID();
    const { position } = await this.aggregates.execute(
      streams.petition(petitionId),
      petition.petitionDecider,
      context,
      async (_, at): Promise<petition.StartPetition> => ({
        type: 'StartPetition',
        data: {
          petitionId,
          villageId: input.villageId,
          purpose: input.purpose,
          signatories: input.signatories,
          eligible: await this.eligible(input.villageId, input.signatories, at),
          subject: input.subject,
          ...(input.recall === undefined ? {} : { recall: input.recall }),
          startedBy: context.actor.subject,
          at,
        },
      }),
    );
    return { id: petitionId, position };
  }

  /**
   * VILLAGERS: those on the roll of the day who are 18 or over that day (A1/E1). REPRESENTATIVES:
   * the elected representatives still on the roll.
   */
  private async eligible(
    villageId: string,
    signatories: petition.Signatories,
    at: string,
  ): Promise<string[]> {
    const { state } = await this.aggregates.load(
      streams.village(villageId),
      village.villageDecider,
    );
    if (state.village === undefined) refuse('NOT_FOUND', `village ${villageId} is not registered`);
    if (signatories === 'REPRESENTATIVES') {
      return state.representativeIds.filter((id) => village.isActive(state.villagers.get(id)));
    }
    const day = dateOf(at);
    return village
      .rollOn(state, day)
      .villagers.filter((entry) => isOfAge(entry.birthDate, day))
      .map((entry) => entry.villagerId);
  }

  /** A villager signs as themselves. */
  sign(petitionId: string, context: CommandContext): Promise<Outcome & { eventId: string }> {
    return this.run(petitionId, context, (_, at) => ({
      type: 'SignPetition',
      data: { petitionId, villagerId: context.actor.subject, at },
    })).then((appended) => ({ ...appended, eventId: idOfEvent(appended, 'PetitionSigned') }));
  }

  /** A villager takes their own signature off, while the threshold is not yet reached. */
  withdraw(petitionId: string, context: CommandContext): Promise<Outcome> {
    return this.run(petitionId, context, (_, at) => ({
      type: 'WithdrawSignature',
      data: { petitionId, villagerId: context.actor.subject, at },
    }));
  }

  close(petitionId: string, reason: string, context: CommandContext): Promise<Outcome> {
    return this.run(petitionId, context, (_, at) => ({
      type: 'ClosePetition',
      data: { petitionId, reason, at },
    }));
  }
}
