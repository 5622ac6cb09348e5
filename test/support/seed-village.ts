/**
 * A village and its roll, registered over GraphQL by the village's clerk, as a spec needs them.
 */
import { type AppUnderTest, ok } from './app-under-test';

export interface VillageSeed {
  readonly villageId: string;
  readonly township: string;
  /** Villagers aged 18 and over, registered first. */
  readonly adults: number;
  /** Children, registered after the adults. */
  readonly minors: number;
  /** Households H1…Hn; the villagers are spread over them in turn. */
  readonly households: number;
}

/** The village and its roll, as its clerk registers them; the villagers' ids, in order. */
export async function seedVillage(
  app: AppUnderTest,
  { villageId, township, adults, minors, households: householdCount }: VillageSeed,
): Promise<string[]> {
  const bearer = await app.token({ subject: `clerk-${villageId}`, role: 'CLERK', villageId });
  ok(
    await app.graphql(
      `mutation ($input: RegisterVillageInput!) { registerVillage(input: $input) { caughtUp } }`,
      { input: { villageId, name: villageId, township, county: '安吉县', province: '浙江省' } },
      bearer,
    ),
  );
  const households = Array.from({ length: householdCount }, (_, index) => `H${index + 1}`);
  for (const householdId of households) {
    ok(
      await app.graphql(
        `mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp } }`,
        { input: { villageId, householdId, name: `${householdId}户` } },
        bearer,
      ),
    );
  }
  const ids: string[] = [];
  for (let index = 0; index < adults + minors; index++) {
    const registered = ok(
      await app.graphql<{ registerVillager: { villager: { id: string } | null } }>(
        `mutation ($input: RegisterVillagerInput!) { registerVillager(input: $input) { villager { id } } }`,
        {
          input: {
            villageId,
            householdId: households[index % households.length],
            name: `村民${index + 1}`,
            gender: index % 2 === 0 ? 'FEMALE' : 'MALE',
            birthDate: index < adults ? `19${60 + (index % 30)}-05-01` : '2015-05-01',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
          },
        },
        bearer,
      ),
    ).registerVillager.villager;
    if (registered === null) throw new Error('the read model did not catch up');
    ids.push(registered.id);
  }
  return ids;
}
