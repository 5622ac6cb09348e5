import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, MemoryEventStore, SqliteEventStore } from '@cunyi/event-store';
import { canonicalEventBytes, MemoryTree } from '@cunyi/transparency';
import * as rfc from '../../test/support/rfc9162-verifier';
import { ConfigError } from '../config/config';
import { transparencyLogProjector } from './log.projector';
import { openLogDatabase } from './log-database';
import { logProjections } from './log-projections';
import { loadSigningKey, SIGNING_KEY_FILE } from './signing-key';
import { TransparencyLog } from './transparency-log';
import { TreeHeads } from './tree-heads';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function appendSome(store: EventStore, count: number, stream = `s-${randomUUID()}`) {
  for (let i = 0; i < count; i++) {
    await store.append(
      stream,
      [
        {
          id: randomUUID(),
          type: 'Noted',
          data: { i, text: `第${i}条` },
          metadata: { correlationId: `c-${i}`, occurredAt: '2026-11-28T00:00:00.000Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
  }
}

async function everyEvent(store: EventStore) {
  const events = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('the persisted transparency log', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunyi-log-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The log as the server runs it: its own file, following the store from its checkpoint. */
  async function follow(store: EventStore) {
    const db = openLogDatabase({ eventStore: 'sqlite', dataDir });
    db.exec(transparencyLogProjector.schema);
    const projections = logProjections(store, db);
    await projections.start();
    await projections.catchUp();
    return {
      log: new TransparencyLog(db),
      db,
      stop: async () => {
        await projections.stop();
        db.close();
      },
    };
  }

  it('holds one leaf per event in store order, and the root of the canonical events', async () => {
    const store = new MemoryEventStore();
    await appendSome(store, 23);
    const { log, stop } = await follow(store);
    try {
      const events = await everyEvent(store);
      const expected = new MemoryTree();
      for (const event of events) expected.append(canonicalEventBytes(event));
      expect(log.size).toBe(23);
      expect(hex(log.root(23))).toBe(hex(expected.root()));
      expect(log.leafOf(events[7]?.id as string)?.leafIndex).toBe(7);
      // Its proofs, checked by the verifier written from the RFC.
      const proof = log.inclusion(log.requireLeaf({ eventId: events[7]?.id }), 23);
      expect(
        rfc.verifyInclusion({
          leafIndex: 7,
          treeSize: 23,
          leafHash: hex(proof.leaf.hash),
          proof: proof.auditPath.map(hex),
          rootHash: hex(expected.root()),
        }),
      ).toBe(true);
      const consistency = log.consistency(9, 23);
      expect(
        rfc.verifyConsistency({
          fromSize: 9,
          toSize: 23,
          fromRoot: hex(expected.root(9)),
          toRoot: hex(expected.root()),
          proof: consistency.proof.map(hex),
        }),
      ).toBe(true);
    } finally {
      await stop();
    }
  });

  it('is kept across restarts: a restarted server appends after its checkpoint, recomputing nothing', async () => {
    const store = await SqliteEventStore.open(join(dataDir, 'events.db'));
    try {
      await appendSome(store, 10);
      const first = await follow(store);
      const rootOf10 = first.log.root(10);
      await first.stop();

      await appendSome(store, 5);
      const second = await follow(store);
      try {
        expect(second.log.size).toBe(15);
        expect(second.log.root(10).equals(rootOf10)).toBe(true);
        // Had it replayed from the start, each of the first ten would be in it twice.
        const ids = (await everyEvent(store)).map((event) => event.id);
        for (const [index, id] of ids.entries())
          expect(second.log.leafOf(id)?.leafIndex).toBe(index);
      } finally {
        await second.stop();
      }
    } finally {
      await store.close();
    }
  });

  it('refuses proofs for sizes it has not reached, and leaves it does not have', async () => {
    const store = new MemoryEventStore();
    await appendSome(store, 4);
    const { log, stop } = await follow(store);
    try {
      expect(() => log.root(5)).toThrow('the log has 4 leaves');
      expect(() => log.consistency(0, 4)).toThrow('fromSize must be from 1');
      expect(() => log.inclusion(log.requireLeaf({ leafIndex: 3 }), 3)).toThrow(
        'ask for a larger tree',
      );
      expect(() => log.requireLeaf({ eventId: 'nope' })).toThrow('is not in the log');
    } finally {
      await stop();
    }
  });

  it('signs heads that verify, once per size, and finds the head covering a leaf', async () => {
    const store = new MemoryEventStore();
    await appendSome(store, 6);
    const { log, db, stop } = await follow(store);
    try {
      const now = Date.parse('2026-11-28T00:00:00Z');
      const key = await loadSigningKey({
        eventStore: 'memory',
        dataDir,
        treeHeadSigningKey: undefined,
      });
      const heads = new TreeHeads(db, log, key, { now: () => new Date(now) });
      expect(heads.latest()).toBeUndefined();
      expect(heads.unsigned).toBe(6);
      const head = heads.sign();
      expect(head.treeSize).toBe(6);
      expect(heads.sign()).toEqual(head);
      expect(heads.unsigned).toBe(0);
      expect(
        rfc.verifyTreeHeadSignature(
          {
            treeSize: head.treeSize,
            timestamp: head.timestamp,
            rootHash: hex(head.rootHash),
            signature: head.signature.toString('base64'),
          },
          key.publicKeyPem,
        ),
      ).toBe(true);
      expect(heads.covering(3)).toEqual(head);
      expect(heads.atSize(6)).toEqual(head);
      expect(heads.atSize(5)).toBeUndefined();
      expect(heads.all()).toEqual([head]);
    } finally {
      await stop();
    }
  });
});

describe('the signing key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cunyi-key-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = (treeHeadSigningKey?: string) => ({
    eventStore: 'sqlite' as const,
    dataDir,
    treeHeadSigningKey,
  });

  it('is generated into DATA_DIR on first start, private to its owner, and kept', async () => {
    const first = await loadSigningKey(config());
    const file = join(dataDir, SIGNING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadSigningKey(config());
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(again.keyId.equals(first.keyId)).toBe(true);
  });

  it('is the configured one when TREE_HEAD_SIGNING_KEY is set', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = await loadSigningKey(config(pem));
    expect(key.publicKeyPem).toBe(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  });

  it('refuses a key that is not Ed25519, or not a key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(loadSigningKey(config(pem))).rejects.toThrow(ConfigError);
    await expect(loadSigningKey(config(pem))).rejects.toThrow('an Ed25519 private key');
    writeFileSync(join(dataDir, SIGNING_KEY_FILE), 'not a key');
    await expect(loadSigningKey(config())).rejects.toThrow(ConfigError);
  });
});
