import { createHash } from 'node:crypto';
import { RULE_BOOK_VERSION, RULES, type RuleId, refuse } from '@cunyi/domain';
import type { EventStore, StoredEvent } from '@cunyi/event-store';
import { canonicalEventBytes, canonicalJson, type SignedTreeHead } from '@cunyi/transparency';
import { GraphQLError } from 'graphql';
import { streams } from '../../common/streams';
import type { InclusionProof, TransparencyLog } from '../transparency-log';
import type { TreeHeads } from '../tree-heads';

/** What each event of a decision's trail is, in the order of 四议两公开. */
export const DOSSIER_SECTIONS = [
  'PROPOSAL',
  'DELIBERATION',
  'TABLING',
  'NOTICE',
  'ROLL',
  'ATTENDANCE',
  'VOTING',
  'BALLOT',
  'TALLY',
  'RESOLUTION',
  'PUBLICATION',
  'IMPLEMENTATION',
  'CORRECTION',
  'WITHDRAWAL',
] as const;
export type DossierSection = (typeof DOSSIER_SECTIONS)[number];

const PROPOSAL_SECTIONS: Readonly<Record<string, DossierSection>> = {
  ProposalDrafted: 'PROPOSAL',
  DeliberationRecorded: 'DELIBERATION',
  ProposalTabled: 'TABLING',
  ProposalResolved: 'RESOLUTION',
  ResolutionPublished: 'PUBLICATION',
  ImplementationReported: 'IMPLEMENTATION',
  ImplementationResultsPublished: 'PUBLICATION',
  CorrectionOrdered: 'CORRECTION',
  ProposalSuspensionLifted: 'CORRECTION',
  ProposalWithdrawn: 'WITHDRAWAL',
};

export interface DossierItem {
  readonly section: DossierSection;
  readonly event: StoredEvent;
  /** The leaf's input, RFC 8785 JSON: hash it with 0x00 in front and it is the proof's leaf. */
  readonly canonicalEvent: string;
  /** ROLL only: SHA-256 of the frozen roll (members, representatives, households and theirs). */
  readonly rollDigest?: string;
  readonly proof: InclusionProof;
}

export interface Dossier {
  readonly proposalId: string;
  readonly villageId: string;
  readonly title: string;
  readonly matter: string;
  /** Every rule book the trail's events were judged under. */
  readonly ruleBooks: readonly string[];
  readonly rules: readonly RuleId[];
  readonly treeHead: SignedTreeHead;
  readonly items: readonly DossierItem[];
}

interface Data {
  readonly meetingId?: string;
  readonly itemId?: string;
  readonly villageId?: string;
  readonly title?: string;
  readonly matter?: string;
  readonly ruleBook?: string;
  readonly rules?: readonly RuleId[];
}

/**
 * A decision's whole trail from the event store, each event with its inclusion proof against one
 * signed tree head: the proposal and its steps 2–3, each meeting it was tabled at (notice, the
 * roll frozen at opening, attendance, its item's voting, ballots and decision), the resolution,
 * publications, implementation and correction orders. Meetings in Cunyi vote openly — officers see
 * who voted how — so the ballots are in it. Read from the store, not the read model: what is proved
 * is what is stored. Every event must already be in the log; one that is not yet makes the
 * dossier refuse (NOT_LOGGED) rather than come out partly proved.
 */
export async function buildDossier(
  sources: {
    readonly store: EventStore;
    readonly log: TransparencyLog;
    readonly heads: TreeHeads;
    /** Resolves once the log has reached this store position, or has given up waiting. */
    readonly logged: (position: bigint) => Promise<unknown>;
    /** Refuses a caller who may not see the village's decisions (undefined: no such proposal). */
    readonly admit: (villageId: string | undefined) => Promise<void>;
  },
  proposalId: string,
): Promise<Dossier> {
  const { store, log, heads } = sources;
  const proposalEvents = await readStream(store, streams.proposal(proposalId));
  const drafted = proposalEvents[0];
  const draft = (drafted?.type === 'ProposalDrafted' ? drafted.data : {}) as Data;
  await sources.admit(draft.villageId);
  if (draft.villageId === undefined) refuse('NOT_FOUND', `no proposal ${proposalId}`);
  const sections: [DossierSection, StoredEvent][] = [];
  const tablings: { meetingId: string; itemId: string }[] = [];
  for (const event of proposalEvents) {
    const section = PROPOSAL_SECTIONS[event.type];
    if (section) sections.push([section, event]);
    const { meetingId, itemId } = event.data as Data;
    if (event.type === 'ProposalTabled' && meetingId && itemId)
      tablings.push({ meetingId, itemId });
  }
  for (const { meetingId, itemId } of tablings) {
    for (const event of await readStream(store, streams.meeting(meetingId))) {
      const section = meetingSection(event, itemId);
      if (section) sections.push([section, event]);
    }
  }

  // The last event of the trail is the furthest the log must have reached.
  await sources.logged(sections.map(([, e]) => e.position).reduce(later, 0n));
  const leaves = sections.map(([, event]) => {
    const leaf = log.leafOf(event.id);
    if (!leaf) throw logBehind(event);
    return leaf;
  });
  const treeHead = heads.covering(Math.max(...leaves.map((leaf) => leaf.leafIndex)) + 1);
  const items = sections.map(
    ([section, event], i): DossierItem => ({
      section,
      event,
      canonicalEvent: canonicalEventBytes(event).toString('utf8'),
      ...(section === 'ROLL' ? { rollDigest: rollDigestOf(event) } : {}),
      proof: log.inclusion(leaves[i] as NonNullable<(typeof leaves)[number]>, treeHead.treeSize),
    }),
  );
  items.sort((a, b) => a.proof.leaf.leafIndex - b.proof.leaf.leafIndex);

  const rules = new Set<RuleId>();
  const ruleBooks = new Set<string>();
  for (const { event } of items) {
    const { ruleBook, rules: ids } = event.data as Data;
    if (ruleBook) ruleBooks.add(ruleBook);
    for (const id of ids ?? []) rules.add(id);
  }
  return {
    proposalId,
    villageId: draft.villageId ?? '',
    title: draft.title ?? '',
    matter: draft.matter ?? '',
    ruleBooks: ruleBooks.size > 0 ? [...ruleBooks].sort() : [RULE_BOOK_VERSION],
    rules: Object.keys(RULES).filter((id) => rules.has(id as RuleId)) as RuleId[],
    treeHead,
    items,
  };
}

/** The meeting's events that belong to this item's decision; the rest of the sitting does not. */
function meetingSection(event: StoredEvent, itemId: string): DossierSection | undefined {
  const data = event.data as Data;
  switch (event.type) {
    case 'MeetingConvened':
      return 'NOTICE';
    case 'MeetingOpened':
      return 'ROLL';
    case 'MemberCheckedIn':
    case 'MemberLeft':
      return 'ATTENDANCE';
    case 'VotingOpened':
    case 'VotingClosed':
    case 'PaperBallotsCountersigned':
      return data.itemId === itemId ? 'VOTING' : undefined;
    case 'BallotCast':
      return data.itemId === itemId ? 'BALLOT' : undefined;
    case 'ItemDecided':
      return data.itemId === itemId ? 'TALLY' : undefined;
    default:
      return undefined;
  }
}

/** Math.max does not take bigint. */
const later = (a: bigint, b: bigint) => (a > b ? a : b);

function logBehind(event: StoredEvent): GraphQLError {
  return new GraphQLError(
    `event ${event.id} (${event.type}) is not in the transparency log yet: ask again shortly`,
    { extensions: { code: 'LOG_BEHIND' } },
  );
}

function rollDigestOf(event: StoredEvent): string {
  const { members, representatives, households, householdRepresentatives } = event.data as Record<
    string,
    unknown
  >;
  const roll = { members, representatives, households, householdRepresentatives };
  return createHash('sha256').update(canonicalJson(roll)).digest('hex');
}

async function readStream(store: EventStore, stream: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}
