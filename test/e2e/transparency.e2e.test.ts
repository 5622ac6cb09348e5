/**
 * Issue 5: the transparency log as its users meet it, over real HTTP on the sqlite store. A
 * villager keeps the receipt of a ballot and later checks it against a newer signed tree head; a
 * township auditor checks that the newer head extends the older one, and reads a decision's dossier
 * with every event proved. Every proof and signature is checked by test/support/rfc9162-verifier.ts,
 * written from the RFC text apart from the code under test.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli';
import type { Io } from '../../src/cli/io';
import { type AppUnderTest, codeOf, ok, startApp, TestClock } from '../support/app-under-test';
import {
  leafHash,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHeadSignature,
} from '../support/rfc9162-verifier';
import { seedVillage } from '../support/seed-village';

interface Head {
  treeSize: number;
  timestamp: number;
  rootHash: string;
  signature: string;
}
interface Receipt {
  eventId: string;
  leafIndex: number | null;
  leafHash: string | null;
}
interface Proof {
  eventId: string;
  leafIndex: number;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  auditPath: string[];
}

const HEAD = 'treeSize timestamp rootHash signature';
const PROOF = 'eventId leafIndex leafHash treeSize rootHash auditPath';
const BALLOT = `mutation ($m: ID!) { castBallot(meetingId: $m, itemId: "item-1", choice: FOR) { ballot { ballotId } receipt { eventId leafIndex leafHash } } }`;

describe('the transparency log, as a villager and a township auditor use it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunyi-log-'));
  const demo: Record<string, string> = {};
  let t: AppUnderTest;
  let publicKeyPem: string;

  beforeAll(async () => {
    const out: string[] = [];
    const io: Io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } };
    const env = { EVENT_STORE: 'sqlite', DATA_DIR: dataDir };
    expect(await runCli(['demo'], io, { env })).toBe(0);
    for (const [, name, value] of out.join('').matchAll(/^export (\w+)=(\S+)/gm)) {
      demo[name as string] = value as string;
    }
    // The demo's history is on the system clock; the app follows it.
    t = await startApp(env, { clock: TestClock.onSystemTime() });
    publicKeyPem = ok(
      await t.graphql<{ treeHeadKey: { publicKeyPem: string } }>(
        '{ treeHeadKey { publicKeyPem } }',
      ),
    ).treeHeadKey.publicKeyPem;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The demo's one proposal, as its township auditor lists it. */
  const demoProposal = async (): Promise<string> =>
    ok(
      await t.graphql<{ proposals: { edges: { node: { id: string } }[] } }>(
        `query ($v: ID!) { proposals(villageId: $v) { edges { node { id } } } }`,
        { v: 'demo-qingshan' },
        demo.AUDITOR_TOKEN,
      ),
    ).proposals.edges[0]?.node.id as string;

  const signHead = async (): Promise<Head> =>
    ok(
      await t.graphql<{ signTreeHead: Head }>(
        `mutation { signTreeHead { ${HEAD} } }`,
        {},
        demo.AUDITOR_TOKEN,
      ),
    ).signTreeHead;

  it('a receipt, later proved against a newer head; the auditor proves the heads consistent', async () => {
    // The villager votes and keeps the receipt; the log has the ballot by the time they are told.
    const voted = ok(
      await t.graphql<{ castBallot: { receipt: Receipt } }>(
        BALLOT,
        { m: demo.MEETING_ID },
        demo.VILLAGER_TOKEN,
      ),
    );
    const receipt = voted.castBallot.receipt;
    expect(receipt.leafIndex).not.toBeNull();
    expect(receipt.leafHash).toMatch(/^[0-9a-f]{64}$/);
    const older = await signHead();
    expect(older.treeSize).toBe((receipt.leafIndex as number) + 1);

    // The log grows: another villager votes, the clerk closes the vote.
    ok(await t.graphql(BALLOT, { m: demo.MEETING_ID }, demo.VILLAGER2_TOKEN));
    ok(
      await t.graphql(
        `mutation ($m: ID!) { closeVoting(meetingId: $m, itemId: "item-1") { caughtUp } }`,
        { m: demo.MEETING_ID },
        demo.CLERK_TOKEN,
      ),
    );
    const newer = await signHead();
    expect(newer.treeSize).toBeGreaterThan(older.treeSize);

    // Later, the villager: the newer head is signed by the log's key, and the ballot is in it.
    expect(verifyTreeHeadSignature(newer, publicKeyPem)).toBe(true);
    const proof = ok(
      await t.graphql<{ inclusionProof: Proof }>(
        `query ($e: ID!, $n: Int!) { inclusionProof(eventId: $e, treeSize: $n) { ${PROOF} } }`,
        { e: receipt.eventId, n: newer.treeSize },
        demo.VILLAGER_TOKEN,
      ),
    ).inclusionProof;
    expect(proof).toMatchObject({ leafIndex: receipt.leafIndex, leafHash: receipt.leafHash });
    const inclusion = {
      leafIndex: receipt.leafIndex as number,
      treeSize: newer.treeSize,
      leafHash: receipt.leafHash as string,
      proof: proof.auditPath,
      rootHash: newer.rootHash,
    };
    expect(verifyInclusion(inclusion)).toBe(true);
    // Not a rubber stamp: another leaf, or another root, does not pass.
    expect(verifyInclusion({ ...inclusion, leafHash: flip(inclusion.leafHash) })).toBe(false);
    expect(verifyInclusion({ ...inclusion, rootHash: older.rootHash })).toBe(false);

    // The auditor: both heads signed, and the newer one extends the older (nothing rewritten).
    expect(verifyTreeHeadSignature(older, publicKeyPem)).toBe(true);
    const consistency = ok(
      await t.graphql<{ consistencyProof: { proof: string[]; fromRoot: string; toRoot: string } }>(
        `query ($m: Int!, $n: Int!) { consistencyProof(fromSize: $m, toSize: $n) { proof fromRoot toRoot } }`,
        { m: older.treeSize, n: newer.treeSize },
      ),
    ).consistencyProof;
    const heads = {
      fromSize: older.treeSize,
      toSize: newer.treeSize,
      fromRoot: older.rootHash,
      toRoot: newer.rootHash,
      proof: consistency.proof,
    };
    expect(verifyConsistency(heads)).toBe(true);
    expect(verifyConsistency({ ...heads, fromRoot: flip(heads.fromRoot) })).toBe(false);
  });

  it('a signed head changes nothing when the log has not grown, and a forged one does not verify', async () => {
    const head = await signHead();
    expect(await signHead()).toEqual(head);
    expect(verifyTreeHeadSignature({ ...head, treeSize: head.treeSize + 1 }, publicKeyPem)).toBe(
      false,
    );
    const latest = ok(await t.graphql<{ signedTreeHead: Head }>(`{ signedTreeHead { ${HEAD} } }`));
    expect(latest.signedTreeHead).toEqual(head);
  });

  it('refuses proofs for trees the log has not reached, and a villager cannot sign heads', async () => {
    const { treeSize } = await signHead();
    const beyond = await t.graphql(
      `query ($n: Int!) { inclusionProof(leafIndex: 0, treeSize: $n) { leafHash } }`,
      { n: treeSize + 1000 },
      demo.VILLAGER_TOKEN,
    );
    expect(codeOf(beyond)).toBe('BAD_USER_INPUT');
    const both = await t.graphql(
      `{ inclusionProof(leafIndex: 0, eventId: "x", treeSize: 1) { leafHash } }`,
      {},
      demo.VILLAGER_TOKEN,
    );
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    expect(
      codeOf(await t.graphql('mutation { signTreeHead { treeSize } }', {}, demo.VILLAGER_TOKEN)),
    ).toBe('FORBIDDEN');
  });

  it("the decision's dossier: every event of its trail, each proved against one signed head", async () => {
    const proposalId = await demoProposal();
    const { decisionDossier: dossier } = ok(
      await t.graphql<{
        decisionDossier: {
          treeHead: Head;
          treeHeadKey: { publicKeyPem: string };
          rules: { id: string; citation: { article: string } }[];
          items: {
            section: string;
            eventId: string;
            canonicalEvent: string;
            rollDigest: string | null;
            proof: Proof;
          }[];
        };
      }>(
        `query ($p: ID!) { decisionDossier(proposalId: $p) {
           treeHead { ${HEAD} } treeHeadKey { publicKeyPem }
           rules { id citation { article } }
           items { section eventId canonicalEvent rollDigest proof { ${PROOF} } } } }`,
        { p: proposalId },
        demo.AUDITOR_TOKEN,
      ),
    );
    expect(verifyTreeHeadSignature(dossier.treeHead, dossier.treeHeadKey.publicKeyPem)).toBe(true);
    const sections = new Set(dossier.items.map((item) => item.section));
    for (const section of ['PROPOSAL', 'DELIBERATION', 'NOTICE', 'ROLL', 'ATTENDANCE', 'BALLOT']) {
      expect(sections).toContain(section);
    }
    expect(sections).toContain('TALLY');
    expect(sections).toContain('RESOLUTION');
    for (const item of dossier.items) {
      // The leaf is the canonical event the dossier shows, and it is in the signed tree.
      expect(leafHash(Buffer.from(item.canonicalEvent, 'utf8'))).toBe(item.proof.leafHash);
      expect(JSON.parse(item.canonicalEvent).id).toBe(item.eventId);
      expect(
        verifyInclusion({
          leafIndex: item.proof.leafIndex,
          treeSize: dossier.treeHead.treeSize,
          leafHash: item.proof.leafHash,
          proof: item.proof.auditPath,
          rootHash: dossier.treeHead.rootHash,
        }),
      ).toBe(true);
    }
    const roll = dossier.items.find((item) => item.section === 'ROLL');
    const { members, representatives, households, householdRepresentatives } = JSON.parse(
      roll?.canonicalEvent as string,
    ).data;
    expect(roll?.rollDigest).toBe(
      createHash('sha256')
        .update(JSON.stringify({ householdRepresentatives, households, members, representatives }))
        .digest('hex'),
    );
    const rules = dossier.rules.map((rule) => rule.id);
    expect(rules).toEqual(expect.arrayContaining(['A1', 'A3', 'A4', 'F1']));
    expect(dossier.rules.every((rule) => rule.citation.article.length > 0)).toBe(true);
  });

  it('the dossier is for the village’s supervisors and its township only', async () => {
    const stranger = await t.token({ subject: 'a-2', role: 'TOWNSHIP_AUDITOR', township: '别镇' });
    const response = await t.graphql(
      `{ decisionDossier(proposalId: "nowhere") { proposalId } }`,
      {},
      demo.AUDITOR_TOKEN,
    );
    expect(codeOf(response)).toBe('FORBIDDEN');
    const other = await t.graphql(
      `query ($p: ID!) { decisionDossier(proposalId: $p) { proposalId } }`,
      { p: await demoProposal() },
      stranger,
    );
    expect(codeOf(other)).toBe('FORBIDDEN');
  });
});

/** The hex hash with its first bit flipped. */
function flip(hash: string): string {
  const bytes = Buffer.from(hash, 'hex');
  bytes[0] = (bytes[0] as number) ^ 0x80;
  return bytes.toString('hex');
}

describe('tree heads signed by policy', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({ EVENT_STORE: 'memory', TREE_HEAD_EVERY_EVENTS: '5' });
  });
  afterAll(() => t?.close());

  it('signs a head each time TREE_HEAD_EVERY_EVENTS more events are logged, unasked', async () => {
    await seedVillage(t, {
      villageId: 'heshan',
      township: '和镇',
      adults: 10,
      minors: 0,
      households: 2,
    });
    const sizes = [];
    for (const treeSize of [5, 6, 10]) {
      const { signedTreeHead } = ok(
        await t.graphql<{ signedTreeHead: { treeSize: number } | null }>(
          'query ($n: Int) { signedTreeHead(treeSize: $n) { treeSize } }',
          { n: treeSize },
        ),
      );
      sizes.push(signedTreeHead?.treeSize ?? null);
    }
    expect(sizes).toEqual([5, null, 10]);
  });
});

describe('tree heads signed by the clock', () => {
  let t: AppUnderTest;
  beforeAll(async () => {
    t = await startApp({
      EVENT_STORE: 'memory',
      TREE_HEAD_EVERY_EVENTS: '1000000',
      TREE_HEAD_EVERY_SECONDS: '1',
    });
  });
  afterAll(() => t?.close());

  it('signs the grown log every TREE_HEAD_EVERY_SECONDS, though few events came', async () => {
    await seedVillage(t, {
      villageId: 'heshan',
      township: '和镇',
      adults: 2,
      minors: 0,
      households: 1,
    });
    const latest = async () =>
      ok(
        await t.graphql<{ signedTreeHead: { treeSize: number } | null }>(
          '{ signedTreeHead { treeSize } }',
        ),
      ).signedTreeHead;
    let head = await latest();
    // The clock may sign part-way through the seeding too; the whole log is signed within a tick.
    for (let waited = 0; head?.treeSize !== 4 && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      head = await latest();
    }
    expect(head).toEqual({ treeSize: 4 });
  });
});
