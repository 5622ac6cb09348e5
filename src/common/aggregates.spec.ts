import { randomUUID } from 'node:crypto';
import { meeting, village } from '@cunyi/domain';
import {
  type AppendOptions,
  type AppendResult,
  MemoryEventStore,
  type NewEvent,
  WrongExpectedRevision,
} from '@cunyi/event-store';
import { collect } from '@cunyi/event-store/event-store.contract';
import { Aggregates, MAX_ATTEMPTS } from './aggregates';
import { commandContext } from './command-context';

const clock = { now: () => new Date('2026-03-02T01:00:00.000Z') };
const clerk = commandContext(
  { subject: 'clerk-1', role: 'CLERK', villageId: 'qingshan' },
  { correlationId: 'request-7', channel: 'phone' },
);

const registerVillage = (_: village.VillageState, at: string): village.VillageCommand => ({
  type: 'RegisterVillage',
  data: {
    villageId: 'qingshan',
    name: '青山村',
    township: '安吉镇',
    county: '安吉县',
    province: '浙江省',
    at,
  },
});

/**
 * A store where another clerk registers a household in the village just before each of our first
 * `races` appends: our expected revision is then stale, and the append is refused as it would be.
 */
class RacingStore extends MemoryEventStore {
  appends = 0;
  constructor(private races: number) {
    super();
  }
  override async append(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.appends++;
    if (this.races > 0 && events[0]?.type === 'HouseholdRegistered') {
      const rival = {
        ...events[0],
        id: randomUUID(),
        data: { ...(events[0].data as object), householdId: `rival-${this.races}`, name: '李家' },
      };
      this.races--;
      await super.append(stream, [rival], { expectedRevision: 'any' });
    }
    return super.append(stream, events, options);
  }
}

const registerHousehold = (_: village.VillageState, at: string): village.VillageCommand => ({
  type: 'RegisterHousehold',
  data: { villageId: 'qingshan', householdId: 'H001', name: '王家', at },
});

async function villageWithRacingClerk(races: number) {
  const store = new RacingStore(races);
  const aggregates = new Aggregates(store, clock);
  await aggregates.execute('village-qingshan', village.villageDecider, clerk, registerVillage);
  store.appends = 0;
  return { store, aggregates };
}

describe('Aggregates: load, decide, append with the expected revision', () => {
  it('records the actor, correlation, causation, occurred-at and channel on every event', async () => {
    const store = new MemoryEventStore();
    const appended = await new Aggregates(store, clock).execute(
      'village-qingshan',
      village.villageDecider,
      clerk,
      registerVillage,
    );
    const [stored] = await collect(store.readStream('village-qingshan'));
    expect(stored?.metadata).toEqual({
      actor: { subject: 'clerk-1', role: 'CLERK', village: 'qingshan' },
      correlationId: 'request-7',
      causationId: clerk.causationId,
      occurredAt: '2026-03-02T01:00:00.000Z',
      channel: 'phone',
    });
    expect(appended.position).toBe(stored?.position);
    expect(appended.ids).toEqual([stored?.id]);
  });

  it('decides again on the new state after a conflict, up to MAX_ATTEMPTS', async () => {
    const { store, aggregates } = await villageWithRacingClerk(MAX_ATTEMPTS - 1);
    await aggregates.execute('village-qingshan', village.villageDecider, clerk, registerHousehold);
    expect(store.appends).toBe(MAX_ATTEMPTS);
    const households = (await collect(store.readStream('village-qingshan')))
      .slice(1)
      .map((event) => (event.data as { householdId: string }).householdId);
    expect(households).toEqual(['rival-2', 'rival-1', 'H001']);
  });

  it('gives up with the conflict after MAX_ATTEMPTS, having stored nothing of its own', async () => {
    const { store, aggregates } = await villageWithRacingClerk(MAX_ATTEMPTS);
    await expect(
      aggregates.execute('village-qingshan', village.villageDecider, clerk, registerHousehold),
    ).rejects.toBeInstanceOf(WrongExpectedRevision);
    const stored = await collect(store.readStream('village-qingshan'));
    const households = stored.map((event) => (event.data as { householdId?: string }).householdId);
    expect(households).not.toContain('H001');
  });

  it('commands on one stream in one process take turns: 30 at once, none conflicts', async () => {
    const store = new RacingStore(0);
    const aggregates = new Aggregates(store, clock);
    await aggregates.execute('village-qingshan', village.villageDecider, clerk, registerVillage);
    store.appends = 0;
    const ids = Array.from({ length: 30 }, (_, i) => `H${String(i).padStart(3, '0')}`);
    await Promise.all(
      ids.map((householdId) =>
        aggregates.execute(
          'village-qingshan',
          village.villageDecider,
          clerk,
          (_, at): village.VillageCommand => ({
            type: 'RegisterHousehold',
            data: { villageId: 'qingshan', householdId, name: householdId, at },
          }),
        ),
      ),
    );
    // One append each: no command was decided on a stale state and sent again.
    expect(store.appends).toBe(ids.length);
    const stored = await collect(store.readStream('village-qingshan'));
    expect(
      stored.slice(1).map((event) => (event.data as { householdId: string }).householdId),
    ).toEqual(ids);
  });

  it('a refused command does not hold up the next one on its stream', async () => {
    const store = new MemoryEventStore();
    const aggregates = new Aggregates(store, clock);
    const first = aggregates.execute(
      'village-qingshan',
      village.villageDecider,
      clerk,
      registerHousehold,
    );
    const second = aggregates.execute(
      'village-qingshan',
      village.villageDecider,
      clerk,
      registerVillage,
    );
    await expect(first).rejects.toMatchObject({ code: expect.any(String) });
    await expect(second).resolves.toMatchObject({ ids: [expect.any(String)] });
  });

  it('a kept state is extended by what another process appended since', async () => {
    const store = new MemoryEventStore();
    const aggregates = new Aggregates(store, clock);
    await aggregates.execute('village-qingshan', village.villageDecider, clerk, registerVillage);
    const other = new Aggregates(store, clock);
    await other.execute('village-qingshan', village.villageDecider, clerk, registerHousehold);
    const { state, revision } = await aggregates.load('village-qingshan', village.villageDecider);
    expect(revision).toBe(1n);
    expect([...state.households.keys()]).toEqual(['H001']);
  });

  it('appends nothing when any command of a batch is refused', async () => {
    const store = new MemoryEventStore();
    const aggregates = new Aggregates(store, clock);
    await expect(
      aggregates.executeAll('village-qingshan', village.villageDecider, clerk, (state, at) => [
        registerVillage(state, at),
        registerVillage(state, at),
      ]),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await collect(store.readStream('village-qingshan'))).toHaveLength(0);
  });

  it('passes the refusal of the decider through, storing nothing', async () => {
    const store = new MemoryEventStore();
    await expect(
      new Aggregates(store, clock).execute(
        'meeting-m1',
        meeting.meetingDecider,
        clerk,
        (_, at): meeting.MeetingCommand => ({
          type: 'OpenMeeting',
          data: {
            meetingId: 'm1',
            rollDate: '2026-03-02',
            villagers: [],
            householdRepresentatives: {},
            at,
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await collect(store.readAll())).toHaveLength(0);
  });
});
