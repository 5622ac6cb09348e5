import { Injectable, type OnModuleInit } from '@nestjs/common';
import { LiveUpdates } from '../graphql/live-updates';
import type { Proposal } from './proposal.types';
import { ProposalQueries } from './read-model/proposal.queries';

const topic = (villageId: string) => `decisions:${villageId}`;

/** A village's published decisions (决议公开), as each is published. */
@Injectable()
export class DecisionFeed implements OnModuleInit {
  constructor(
    private readonly live: LiveUpdates,
    private readonly queries: ProposalQueries,
  ) {}

  onModuleInit(): void {
    this.live.route((event) => {
      if (event.type !== 'ResolutionPublished') return [];
      const { proposalId } = event.data as { proposalId: string };
      const scope = this.queries.scopeOf(proposalId);
      if (scope === undefined) return [];
      return [[topic(scope.villageId), () => this.queries.proposal(proposalId)]];
    });
  }

  decisions(villageId: string): AsyncIterableIterator<Proposal> {
    return this.live.listen<Proposal>(topic(villageId));
  }
}
