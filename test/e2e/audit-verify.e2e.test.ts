/**
 * Issue 5, "an event edited or deleted without the audit verification noticing" must never
 * happen: `audit verify` against a store tampered with in its SQLite file — one byte changed, an
 * event deleted, two events swapped — names the event; an untouched store verifies. A store
 * rewritten together with its log passes the log but not a signed tree head kept from before.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { runCli } from '../../src/cli/cli';
import type { Io } from '../../src/cli/io';
import { LOG_FILE } from '../../src/transparency/log-database';
import { ok, startApp, TestClock } from '../support/app-under-test';
import * as rfc from '../support/rfc9162-verifier';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(dataDir: string, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  };
  const code = await runCli(argv, io, { env: { EVENT_STORE: 'sqlite', DATA_DIR: dataDir } });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Runs the server on the data dir until its log has every event, and keeps a head it signs then. */
async function serve(dataDir: string): Promise<{ treeHead: unknown; events: number }> {
  const events = withEvents(dataDir, (db) =>
    db.prepare('SELECT count(*) FROM events').pluck().get(),
  ) as number;
  const t = await startApp({ DATA_DIR: dataDir }, { clock: TestClock.onSystemTime() });
  try {
    const auditor = await t.token({
      subject: 'auditor',
      role: 'TOWNSHIP_AUDITOR',
      township: '青山演示镇',
    });
    // The log catches up with the store after start-up, as the read model does.
    for (let attempt = 0; attempt < 100; attempt++) {
      const { signTreeHead } = ok(
        await t.graphql<{ signTreeHead: { treeSize: number } }>(
          'mutation { signTreeHead { treeSize timestamp rootHash signature } }',
          {},
          auditor,
        ),
      );
      if (signTreeHead.treeSize === events) return { treeHead: signTreeHead, events };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the log did not reach the store's ${events} events`);
  } finally {
    await t.close();
  }
}

/** The events table, as SQLite has it on disk (WAL folded in, so the file holds every row). */
function withEvents<T>(dataDir: string, act: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(dataDir, 'events.db'));
  try {
    return act(db);
  } finally {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
}

interface Row {
  position: number;
  id: string;
  type: string;
  data: string;
}

describe('audit verify: tampering with the SQLite store is named, event by event', () => {
  const root = mkdtempSync(join(tmpdir(), 'cunyi-audit-'));
  const pristine = join(root, 'pristine');
  let events: number;
  let headFile: string;
  let copies = 0;
  /** A fresh copy of the verified data dir to tamper with. */
  const copy = () => {
    const dir = join(root, `copy-${++copies}`);
    cpSync(pristine, dir, { recursive: true });
    return dir;
  };
  /** The middle event of the store: one with events before and after it. */
  const middle = (dir: string) =>
    withEvents(dir, (db) =>
      db
        .prepare('SELECT position, id, type, data FROM events ORDER BY position LIMIT 1 OFFSET ?')
        .get(Math.floor(events / 2)),
    ) as Row;

  beforeAll(async () => {
    expect((await cli(pristine, 'demo')).code).toBe(0);
    const served = await serve(pristine);
    events = served.events;
    headFile = join(root, 'head.json');
    writeFileSync(headFile, JSON.stringify(served.treeHead));
    withEvents(pristine, () => undefined);
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('an untouched store verifies, with the signed head kept from before', async () => {
    const run = await cli(pristine, 'audit', 'verify', '--tree-head', headFile);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `verified: ${events} events in the store, ${events} leaves in the log`,
    );
    expect(run.stdout).toContain(`and the one in ${headFile}`);
  });

  it('one byte changed in one event, in the file itself: that event is named', async () => {
    const dir = copy();
    const target = middle(dir);
    const file = join(dir, 'events.db');
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from(target.data, 'utf8'));
    expect(at).toBeGreaterThan(0);
    // The last digit of the event's `at` instant, one higher: a plausible, silent edit.
    const digit = at + target.data.lastIndexOf('.') - 1;
    bytes[digit] = bytes[digit] === 0x39 ? 0x30 : (bytes[digit] as number) + 1;
    writeFileSync(file, bytes);
    expect(
      withEvents(dir, (db) =>
        db.prepare('SELECT data FROM events WHERE id = ?').pluck().get(target.id),
      ),
    ).not.toBe(target.data);

    const run = await cli(dir, 'audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DIVERGENT: event ${target.id} (${target.type}`);
    expect(run.stderr).toContain('was changed after it was recorded');
  });

  it('an event deleted: the missing event is named', async () => {
    const dir = copy();
    const target = middle(dir);
    withEvents(dir, (db) => db.prepare('DELETE FROM events WHERE id = ?').run(target.id));

    const run = await cli(dir, 'audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`DIVERGENT: event ${target.id} (leaf`);
    expect(run.stderr).toContain('is missing from the store: it was deleted');
  });

  it('two events swapped: the first out of place is named', async () => {
    const dir = copy();
    const first = middle(dir);
    withEvents(dir, (db) => {
      const next = db
        .prepare('SELECT position FROM events WHERE position > ? ORDER BY position LIMIT 1')
        .pluck()
        .get(first.position) as number;
      db.transaction(() => {
        db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(first.position);
        db.prepare('UPDATE events SET position = ? WHERE position = ?').run(first.position, next);
        db.prepare('UPDATE events SET position = ? WHERE position = -1').run(next);
      })();
    });

    const run = await cli(dir, 'audit', 'verify');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`leaf ${Math.floor(events / 2)} of the log is event ${first.id}`);
    expect(run.stderr).toContain('the events were reordered');
  });

  it('a store rewritten with a log rebuilt to match: only the signed head kept from before tells', async () => {
    const dir = copy();
    const target = middle(dir);
    withEvents(dir, (db) =>
      db
        .prepare('UPDATE events SET data = ? WHERE id = ?')
        .run(`${target.data.slice(0, -1)},"x":1}`, target.id),
    );
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(dir, `${LOG_FILE}${suffix}`), { force: true });
    await serve(dir);

    const alone = await cli(dir, 'audit', 'verify');
    expect(alone.code).toBe(0);
    const held = await cli(dir, 'audit', 'verify', '--tree-head', headFile);
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(
      `the store's first ${events} events do not hash to the signed root`,
    );
  });

  it('audit export: the dossier, checkable offline; and its tree head is one audit verify holds the store to', async () => {
    const stream = withEvents(pristine, (db) =>
      db.prepare("SELECT stream FROM events WHERE type = 'ProposalDrafted'").pluck().get(),
    ) as string;
    const proposalId = stream.replace(/^proposal-/, '');
    const out = join(root, 'dossier.json');
    const run = await cli(pristine, 'audit', 'export', proposalId, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^exported the dossier of ${proposalId}: \\d+ events`));
    const dossier = JSON.parse(readFileSync(out, 'utf8'));
    expect(rfc.verifyTreeHeadSignature(dossier.treeHead, dossier.treeHeadKey.publicKeyPem)).toBe(
      true,
    );
    expect(dossier.items.length).toBeGreaterThan(10);
    for (const item of dossier.items) {
      expect(rfc.leafHash(Buffer.from(item.canonicalEvent, 'utf8'))).toBe(item.proof.leafHash);
      const included = rfc.verifyInclusion({
        leafIndex: item.proof.leafIndex,
        treeSize: dossier.treeHead.treeSize,
        leafHash: item.proof.leafHash,
        proof: item.proof.auditPath,
        rootHash: dossier.treeHead.rootHash,
      });
      expect(included).toBe(true);
    }
    expect((await cli(pristine, 'audit', 'verify', '--tree-head', out)).code).toBe(0);
    const unknown = await cli(pristine, 'audit', 'export', 'no-such-proposal');
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('NOT_FOUND');
  });

  it('refuses a file that is not a signed tree head, and a data dir without a log', async () => {
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"treeSize": 3}');
    const run = await cli(pristine, 'audit', 'verify', '--tree-head', bad);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain('is not a signed tree head');
    const empty = await cli(join(root, 'nothing-here'), 'audit', 'verify');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no transparency log');
  });
});
