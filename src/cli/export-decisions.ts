import { writeFile } from 'node:fs/promises';
import { RULE_BOOK_VERSION } from '@cunyi/domain';
import type { AppConfig } from '../config/config';
import { PAGE_SIZE_LIMIT } from '../graphql/connection';
import type { Proposal } from '../proposals/proposal.types';
import { ProposalQueries } from '../proposals/read-model/proposal.queries';
import { VillageQueries } from '../villages/read-model/village.queries';
import { claimSharedReadDatabase, openContext, requirePersistentStore } from './context';
import { CliError, type Io } from './io';
import { requireVillageId } from './village';

export interface DecisionsExport {
  readonly village: {
    readonly id: string;
    readonly name: string;
    readonly township: string;
    readonly county: string;
    readonly province: string;
  };
  readonly exportedAt: string;
  readonly ruleBook: string;
  /** Every proposal of the village, oldest first, as the GraphQL `proposal` query shows it. */
  readonly proposals: readonly Proposal[];
}

/**
 * The village's proposals with their resolutions, from the read model once it has caught up with
 * the store. With the server stopped that is the server's own read model, brought up to date;
 * while a server has it open, a private replay of the store (the two never project into one file).
 */
export async function exportDecisions(
  config: AppConfig,
  io: Io,
  villageId: string,
  out?: string,
): Promise<void> {
  requireVillageId(villageId);
  requirePersistentStore(config, 'export decisions');
  const shared = claimSharedReadDatabase(config);
  if (shared === undefined) {
    io.stderr.write(
      'cunyi: another process (a running server?) has the read model open; exporting from a private replay of the store\n',
    );
  }
  const context = await openContext(config, io, { db: shared });
  let exported: DecisionsExport;
  try {
    await context.projections.start();
    await context.projections.catchUp();
    const village = context.get(VillageQueries).village(villageId);
    if (village === undefined) throw new CliError(`village ${villageId} is not registered`);
    const { id, name, township, county, province } = village;
    exported = {
      village: { id, name, township, county, province },
      exportedAt: new Date().toISOString(),
      ruleBook: RULE_BOOK_VERSION,
      proposals: proposalsOf(context.get(ProposalQueries), villageId),
    };
  } finally {
    await context.close();
  }
  const json = `${JSON.stringify(exported, null, 2)}\n`;
  if (out === undefined) {
    io.stdout.write(json);
    return;
  }
  await writeFile(out, json);
  const count = exported.proposals.length;
  io.stdout.write(
    `exported ${count} proposal${count === 1 ? '' : 's'} of ${villageId} to ${out}\n`,
  );
}

function proposalsOf(queries: ProposalQueries, villageId: string): Proposal[] {
  const proposals: Proposal[] = [];
  let after: string | undefined;
  for (;;) {
    const page = queries.proposals(
      { villageId, publishedOnly: false },
      { first: PAGE_SIZE_LIMIT, after },
    );
    proposals.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return proposals;
    after = page.pageInfo.endCursor ?? undefined;
  }
}
