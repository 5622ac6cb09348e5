import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredEvent } from '@cunyi/event-store';
import {
  canonicalEventBytes,
  consistencyProof,
  leafHash,
  MemoryTree,
  type SignedTreeHead,
  verifyConsistency,
  verifyTreeHead,
} from '@cunyi/transparency';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../common/clock';
import type { AppConfig } from '../config/config';
import { buildDossier } from '../transparency/dossier/dossier';
import { DecisionDossier } from '../transparency/dossier/dossier.types';
import { transparencyLogProjector } from '../transparency/log.projector';
import { LOG_FILE, openLogDatabase } from '../transparency/log-database';
import { loadSigningKey } from '../transparency/signing-key';
import { TransparencyLog } from '../transparency/transparency-log';
import { TreeHeads } from '../transparency/tree-heads';
import { openStore, requirePersistentStore } from './context';
import { CliError, type Io } from './io';

/** What went wrong first, named by the event: the store's own record, or the log's. */
class Divergence extends CliError {
  constructor(what: string) {
    super(`DIVERGENT: ${what}`);
  }
}

const describe = (event: StoredEvent) =>
  `event ${event.id} (${event.type}, ${event.stream} revision ${event.revision}, position ${event.position})`;

/**
 * Recomputes every leaf from the event store and holds the persisted log to it, leaf by leaf: the
 * first event changed, missing or out of place since it was logged is named. Then every tree head
 * the log signed, and the one in `--tree-head FILE` (a head kept from the API or an export), must
 * be signed by the log's key and be a prefix of the recomputed tree (an RFC 6962 consistency
 * proof). Reads only; safe while the server runs (events it has not logged yet are counted, not
 * judged).
 */
export async function verifyAudit(config: AppConfig, io: Io, headFile?: string): Promise<void> {
  requirePersistentStore(config, 'audit verify');
  const saved = headFile === undefined ? undefined : readHead(headFile);
  const db = openLog(config);
  try {
    const log = new TransparencyLog(db);
    const recomputed = await recompute(config, log);
    const key = await loadSigningKey(config);
    const heads = new TreeHeads(db, log, key, systemClock).all();
    for (const head of heads) checkHead(head, recomputed.tree, key.publicKeyPem, 'the log’s head');
    if (saved)
      checkHead(
        saved.head,
        recomputed.tree,
        saved.publicKeyPem ?? key.publicKeyPem,
        headFile as string,
      );
    const behind = recomputed.tree.size - log.size;
    io.stdout.write(
      `${[
        `verified: ${recomputed.tree.size} events in the store, ${log.size} leaves in the log, root ${recomputed.tree.root(log.size).toString('hex')}`,
        `${heads.length} signed tree head${heads.length === 1 ? '' : 's'} of the log verified${saved ? `, and the one in ${headFile}` : ''}`,
        ...(behind > 0
          ? [`${behind} events are not in the log yet (the server logs them as it runs)`]
          : []),
      ].join('\n')}\n`,
    );
  } finally {
    db.close();
  }
}

/** The store's events, leaf by leaf, against the log's leaves; throws at the first that differs. */
async function recompute(config: AppConfig, log: TransparencyLog): Promise<{ tree: MemoryTree }> {
  const { store, close } = await openStore(config);
  const tree = new MemoryTree();
  const storeIds = new Set<string>();
  let firstMismatch: { index: number; event: StoredEvent; loggedId: string } | undefined;
  try {
    for await (const event of store.readAll()) {
      const index = tree.appendHash(leafHash(canonicalEventBytes(event)));
      storeIds.add(event.id);
      if (firstMismatch || index >= log.size) continue;
      const logged = log.leafAt(index);
      if (logged === undefined) throw new Divergence(`the log has no leaf ${index}`);
      if (logged.eventId !== event.id) {
        firstMismatch = { index, event, loggedId: logged.eventId };
        continue;
      }
      if (!logged.hash.equals(tree.subtree(0, index))) {
        throw new Divergence(
          `${describe(event)} at leaf ${index} is not what was logged: it was changed after it was recorded`,
        );
      }
    }
  } finally {
    await close();
  }
  if (firstMismatch) {
    const { index, event, loggedId } = firstMismatch;
    throw new Divergence(
      storeIds.has(loggedId)
        ? `leaf ${index} of the log is event ${loggedId}, but the store has ${describe(event)} there: the events were reordered`
        : `event ${loggedId} (leaf ${index} of the log) is missing from the store: it was deleted; the store has ${describe(event)} in its place`,
    );
  }
  if (tree.size < log.size) {
    const missing = log.leafAt(tree.size);
    throw new Divergence(
      `event ${missing?.eventId} (leaf ${tree.size} of the log) is missing from the store: the store ends after ${tree.size} events`,
    );
  }
  // The leaves agree; the log's interior hashes must too (they are what proofs are made of).
  if (log.size > 0 && !log.root(log.size).equals(tree.root(log.size))) {
    throw new Divergence(`the log's stored subtree hashes do not hash to its leaves`);
  }
  return { tree };
}

function checkHead(
  head: SignedTreeHead,
  tree: MemoryTree,
  publicKeyPem: string,
  what: string,
): void {
  const name = `${what} (tree size ${head.treeSize}, signed ${new Date(head.timestamp).toISOString()})`;
  if (!verifyTreeHead(head, publicKeyPem)) {
    throw new Divergence(`${name}: its signature does not verify with the log's public key`);
  }
  if (head.treeSize > tree.size) {
    throw new Divergence(`${name}: the store holds only ${tree.size} events; some were deleted`);
  }
  const consistent =
    head.treeSize === 0
      ? head.rootHash.equals(tree.root(0))
      : verifyConsistency(
          head.treeSize,
          tree.size,
          head.rootHash,
          tree.root(),
          consistencyProof(tree, head.treeSize, tree.size),
        );
  if (!consistent) {
    throw new Divergence(
      `${name}: the store's first ${head.treeSize} events do not hash to the signed root: the record was rewritten`,
    );
  }
}

/** A head as the API gives it (rootHash hex, signature base64), alone or inside an export. */
function readHead(file: string): { head: SignedTreeHead; publicKeyPem?: string } {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read a tree head from ${file}: ${(error as Error).message}`);
  }
  const raw = (parsed.treeHead ?? parsed) as Record<string, unknown>;
  const key = (parsed.treeHeadKey as { publicKeyPem?: unknown } | undefined)?.publicKeyPem;
  const { treeSize, timestamp, rootHash, signature } = raw;
  if (
    !Number.isSafeInteger(treeSize) ||
    !Number.isSafeInteger(timestamp) ||
    typeof rootHash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(rootHash) ||
    typeof signature !== 'string'
  ) {
    throw new CliError(
      `${file} is not a signed tree head: it needs treeSize, timestamp, rootHash (hex) and signature (base64)`,
    );
  }
  return {
    head: {
      treeSize: treeSize as number,
      timestamp: timestamp as number,
      rootHash: Buffer.from(rootHash, 'hex'),
      signature: Buffer.from(signature, 'base64'),
    },
    ...(typeof key === 'string' ? { publicKeyPem: key } : {}),
  };
}

/**
 * The decision's dossier as JSON, with its proofs, the tree head they are against and the public
 * key: all anyone needs to check it, offline. From the server's log as it stands; an event the log
 * has not reached yet makes it refuse (start the server, or let it catch up).
 */
export async function exportDossier(
  config: AppConfig,
  io: Io,
  proposalId: string,
  out?: string,
): Promise<void> {
  requirePersistentStore(config, 'audit export');
  const db = openLog(config, { writable: true });
  try {
    const log = new TransparencyLog(db);
    const key = await loadSigningKey(config);
    const heads = new TreeHeads(db, log, key, systemClock);
    const { store, close } = await openStore(config);
    let dossier: DecisionDossier;
    try {
      const built = await buildDossier(
        { store, log, heads, logged: async () => undefined, admit: async () => undefined },
        proposalId,
      );
      dossier = DecisionDossier.of(built, {
        algorithm: 'Ed25519',
        publicKeyPem: key.publicKeyPem,
        keyId: key.keyId.toString('hex'),
      });
    } finally {
      await close();
    }
    const json = `${JSON.stringify(dossier, null, 2)}\n`;
    if (out === undefined) {
      io.stdout.write(json);
      return;
    }
    await writeFile(out, json);
    io.stdout.write(
      `exported the dossier of ${proposalId}: ${dossier.items.length} events, proved against tree size ${dossier.treeHead.treeSize}, to ${out}\n`,
    );
  } finally {
    db.close();
  }
}

/**
 * The server's log file. Writable only to record a tree head (an export may need one newer than
 * the last): heads are rows of their own, never leaves, so this cannot race the server's appends.
 */
function openLog(config: AppConfig, options: { writable?: boolean } = {}): Database {
  if (!existsSync(join(config.dataDir, LOG_FILE))) {
    throw new CliError(
      `no transparency log in DATA_DIR ${config.dataDir} (${LOG_FILE}): the server builds it when it starts`,
    );
  }
  const db = openLogDatabase(config, { readonly: !options.writable });
  if (options.writable) db.exec(transparencyLogProjector.schema);
  return db;
}
