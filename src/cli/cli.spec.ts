import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { meeting as meetings } from '@cunyi/domain';
import type { StoredEvent } from '@cunyi/event-store';
import type { Actor } from '../auth/actor';
import { createTokenService } from '../auth/tokens';
import { Aggregates } from '../common/aggregates';
import { commandContext } from '../common/command-context';
import { streams } from '../common/streams';
import { type AppConfig, loadConfig } from '../config/config';
import { MeetingCommands } from '../meetings/commands/meeting-commands';
import { openReadDatabase, READ_MODEL_FILE } from '../read-model/read-database';
import { runCli } from './cli';
import { claimSharedReadDatabase, isBusy, openContext, openStore } from './context';
import { DEMO_CORRELATION, DEMO_PRESENT, DEMO_VILLAGE } from './demo';
import type { DecisionsExport } from './export-decisions';
import type { Io } from './io';
import { clerkContext } from './village';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Env = Record<string, string>;

async function cli(env: Env, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
  };
  const code = await runCli(argv, io, { env });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const quiet: Io = { stdout: { write: () => true }, stderr: { write: () => true } };

/** The environment of a sqlite store in a DATA_DIR of its own, made before the block's tests, removed after. */
function sqliteDataDir(): Env {
  const env: Env = { EVENT_STORE: 'sqlite', DATA_DIR: '' };
  beforeAll(() => {
    env.DATA_DIR = mkdtempSync(join(tmpdir(), 'cunyi-cli-'));
  });
  afterAll(() => rmSync(env.DATA_DIR, { recursive: true, force: true }));
  return env;
}

const HEADER = '户号,姓名,性别,出生日期,居住依据';

/** 3 households, 5 villagers; saved the way Excel saves "CSV UTF-8", with a BOM. */
const GOOD_ROLL = `\uFEFF${HEADER}
L001,陈大海,男,1970-01-05,户籍
L001,许小红,女,1972-03-09,户籍
L002,冯立新,男,1980/6/1,户籍
L003,韩梅,女,1991年2月3日,居住一年以上
L003,韩春生,男,1965-12-30,户籍
`;

/** Three bad cells, among rows that would be fine on their own. */
const BAD_ROLL = `${HEADER}
L001,陈大海,男,1970-01-05,户籍
L004,石头,X,1980-01-01,户籍
L005,龙飞,男,1980-02-30,户籍
L006,,女,1990-01-01,户籍
`;

async function eventCount(env: Env): Promise<number> {
  const { store, close } = await openStore(loadConfig(env));
  let count = 0;
  try {
    for await (const _ of store.readAll()) count++;
  } finally {
    await close();
  }
  return count;
}

describe('cunyi CLI: usage', () => {
  const env = { EVENT_STORE: 'sqlite', DATA_DIR: join(tmpdir(), 'cunyi-cli-unused') };

  it('--help prints the usage on stdout and succeeds', async () => {
    const run = await cli(env, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run cli -- <command>');
  });

  it.each([
    [['frobnicate']],
    [['roll']],
    [['roll', 'export']],
    [[]],
    [['roll', 'import', 'qingshan']],
    [['export', 'decisions', 'qingshan', '--format', 'xml']],
    [['village', 'register', 'qingshan', '--name', '青山村']],
  ])('%j: the usage on stderr, exit 2', async (argv) => {
    const run = await cli(env, ...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run cli -- <command>');
    expect(run.stdout).toBe('');
  });
});

describe('cunyi CLI: village register and roll import', () => {
  const env = sqliteDataDir();
  const file = (name: string, content: string | Buffer) => {
    const path = join(env.DATA_DIR, name);
    writeFileSync(path, content);
    return path;
  };
  const register = (villageId: string) =>
    cli(
      env,
      'village',
      'register',
      villageId,
      '--name',
      '鹿山村',
      '--township',
      '安吉镇',
      '--county',
      '安吉县',
      '--province',
      '浙江省',
    );

  it('registers a village and imports its roll with the importRoll command', async () => {
    expect(await register('lushan')).toEqual({
      code: 0,
      stdout: 'registered village lushan: 鹿山村, 安吉镇, 安吉县, 浙江省\n',
      stderr: '',
    });
    const run = await cli(env, 'roll', 'import', 'lushan', file('good.csv', GOOD_ROLL));
    expect(run).toEqual({
      code: 0,
      stdout: 'imported 3 households, 5 villagers into lushan\n',
      stderr: '',
    });
  });

  it('refuses to register a village twice', async () => {
    const run = await register('lushan');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^cunyi: ALREADY_EXISTS: /);
  });

  it('refuses a bad roll with every problem by line, and imports none of it', async () => {
    expect((await register('baishan')).code).toBe(0);
    const before = await eventCount(env);
    const run = await cli(env, 'roll', 'import', 'baishan', file('bad.csv', BAD_ROLL));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cunyi: .*bad\.csv was refused, nothing was imported: 3 problems$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^line 3: 性别: gender "X" is not one of /),
      expect.stringMatching(
        /^line 4: 出生日期: birth date "1980-02-30" is not a real calendar date$/,
      ),
      expect.stringMatching(/^line 5: 姓名: 姓名 is empty$/),
    ]);
    expect(await eventCount(env)).toBe(before);
    // Had L001 gone in, it would be reused now and only 2 households counted.
    const good = await cli(env, 'roll', 'import', 'baishan', file('good.csv', GOOD_ROLL));
    expect(good.stdout).toBe('imported 3 households, 5 villagers into baishan\n');
  });

  it('refuses, by line, villagers already on the roll', async () => {
    const run = await cli(env, 'roll', 'import', 'lushan', file('good.csv', GOOD_ROLL));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('5 problems');
    expect(run.stderr).toMatch(
      /^line 2: 陈大海 \(born 1970-01-05, household L001\) is already on the roll as /m,
    );
  });

  it('refuses a file that is not UTF-8, as the parser words it', async () => {
    // 户号 and 你 as a GBK spreadsheet would save them.
    const gbk = Buffer.from([0xbb, 0xa7, 0xba, 0xc5, 0x0a, 0xc4, 0xe3, 0x0a]);
    const run = await cli(env, 'roll', 'import', 'lushan', file('gbk.csv', gbk));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^line 1: the file must be saved as UTF-8/m);
  });

  it('refuses a missing file, an unregistered village and a bad village id', async () => {
    const missing = await cli(env, 'roll', 'import', 'lushan', join(env.DATA_DIR, 'nope.csv'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
    const unknown = await cli(env, 'roll', 'import', 'nowhere', join(env.DATA_DIR, 'good.csv'));
    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NOT_FOUND: village nowhere is not registered'),
    });
    const bad = await cli(env, 'roll', 'import', 'Lu Shan', join(env.DATA_DIR, 'good.csv'));
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('is not valid') });
  });

  it('refuses to write to a memory store, which would lose everything on exit', async () => {
    const run = await cli({ EVENT_STORE: 'memory' }, 'roll', 'import', 'lushan', 'x.csv');
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining('EVENT_STORE=memory') });
  });

  it('acts as a clerk of the village, through the cli channel, with --as for the subject', async () => {
    expect((await register('heshan')).code).toBe(0);
    const run = await cli(
      env,
      'roll',
      'import',
      'heshan',
      join(env.DATA_DIR, 'good.csv'),
      '--as',
      'clerk-wang',
    );
    expect(run.code).toBe(0);
    const { store, close } = await openStore(loadConfig(env));
    try {
      const events = [];
      for await (const event of store.readStream('village-heshan')) events.push(event);
      expect(events.at(0)?.metadata).toMatchObject({
        actor: { subject: 'cli', role: 'CLERK', village: 'heshan' },
        channel: 'cli',
      });
      expect(events.at(-1)?.metadata).toMatchObject({
        actor: { subject: 'clerk-wang', role: 'CLERK', village: 'heshan' },
        channel: 'cli',
      });
    } finally {
      await close();
    }
  });

  it('will not seed the demo into a store that already holds a ledger', async () => {
    const run = await cli(env, 'demo');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the demo seeds an empty store only');
  });
});

describe('cunyi CLI: token', () => {
  const env = sqliteDataDir();

  it.each<[string[], Actor]>([
    [
      ['VILLAGER', '--village', 'qingshan', '--subject', 'v-1'],
      { subject: 'v-1', role: 'VILLAGER', villageId: 'qingshan' },
    ],
    [['CLERK', '--village', 'qingshan'], { subject: 'cli', role: 'CLERK', villageId: 'qingshan' }],
    [
      ['supervisor', '--village', 'qingshan', '--subject', 'v-2'],
      { subject: 'v-2', role: 'SUPERVISOR', villageId: 'qingshan' },
    ],
    [
      ['TOWNSHIP_AUDITOR', '--township', '安吉镇', '--subject', 'auditor-1'],
      { subject: 'auditor-1', role: 'TOWNSHIP_AUDITOR', township: '安吉镇' },
    ],
    [['INTEGRATOR', '--ttl', '60'], { subject: 'cli', role: 'INTEGRATOR' }],
  ])('token %j verifies with the server’s token service', async (argv, actor) => {
    const run = await cli(env, 'token', ...argv);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const token = run.stdout.trim();
    expect(run.stdout).toBe(`${token}\n`);
    const tokens = await createTokenService(loadConfig(env));
    expect(await tokens.verify(token)).toEqual(actor);
  });

  it('honours --ttl', async () => {
    const run = await cli(env, 'token', 'INTEGRATOR', '--ttl', '60');
    const payload = JSON.parse(
      Buffer.from(run.stdout.trim().split('.')[1] as string, 'base64url').toString(),
    ) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(60);
  });

  it.each([
    [['CLERK'], 'a CLERK token is for one village: pass --village <villageId>'],
    [['VILLAGER', '--village', 'qingshan'], "a VILLAGER's subject is their villager id"],
    [['MAYOR'], 'unknown role "MAYOR": the roles are VILLAGER, CLERK, SUPERVISOR'],
    [['TOWNSHIP_AUDITOR'], 'a TOWNSHIP_AUDITOR token is for one township'],
    [['INTEGRATOR', '--village', 'qingshan'], '--village is for VILLAGER, CLERK, SUPERVISOR'],
    [['CLERK', '--village', 'qingshan', '--township', 'x'], '--township is for TOWNSHIP_AUDITOR'],
    [['CLERK', '--village', 'Qing Shan'], 'village id "Qing Shan" is not valid'],
    [['INTEGRATOR', '--ttl', '0'], '--ttl must be a whole number of seconds'],
    [['INTEGRATOR', '--ttl', '1h'], '--ttl must be a whole number of seconds'],
  ])('token %j: exit 1, %s', async (argv, message) => {
    const run = await cli(env, 'token', ...argv);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(message);
  });

  it('refuses in JWKS mode: the identity provider issues the tokens', async () => {
    const run = await cli(
      {
        ...env,
        AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
        AUTH_JWT_ISSUER: 'https://id.example.org',
        AUTH_JWT_AUDIENCE: 'cunyi',
      },
      'token',
      'INTEGRATOR',
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain('AUTH_JWKS_URL is set');
  });

  it('mints for a memory-store server only with a shared AUTH_JWT_SECRET', async () => {
    const refused = await cli({ EVENT_STORE: 'memory' }, 'token', 'INTEGRATOR');
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('AUTH_JWT_SECRET') });
    const secret = 'a-test-secret-of-at-least-32-characters';
    const memory = { EVENT_STORE: 'memory', AUTH_JWT_SECRET: secret };
    const run = await cli(memory, 'token', 'INTEGRATOR');
    expect(run.code).toBe(0);
    const tokens = await createTokenService(loadConfig(memory));
    expect(await tokens.verify(run.stdout.trim())).toEqual({ subject: 'cli', role: 'INTEGRATOR' });
  });

  it('reports a bad configuration like the server does', async () => {
    const run = await cli({ EVENT_STORE: 'postgres' }, 'token', 'INTEGRATOR');
    expect(run).toMatchObject({ code: 1 });
    expect(run.stderr).toContain('EVENT_STORE="postgres" is invalid');
  });
});

describe('cunyi CLI: demo, export decisions, projections rebuild', () => {
  const env = sqliteDataDir();
  let config: AppConfig;
  let first: Run;
  let meetingId: string;
  const exported = (name: string) =>
    JSON.parse(readFileSync(join(env.DATA_DIR, name), 'utf8')) as DecisionsExport;
  const exportTo = (name: string) =>
    cli(env, 'export', 'decisions', DEMO_VILLAGE.villageId, '--out', join(env.DATA_DIR, name));
  const exportVariable = (run: Run, name: string) =>
    new RegExp(`^export ${name}=(\\S+)`, 'm').exec(run.stdout)?.[1] as string;

  beforeAll(async () => {
    config = loadConfig(env);
    first = await cli(env, 'demo');
    meetingId = exportVariable(first, 'MEETING_ID');
  });

  it('seeds a village with a meeting sitting, a quorum present and voting open', async () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Seeded the demo village ${DEMO_VILLAGE.villageId}`);
    expect(first.stdout).toContain('40 villagers in 12 households');
    expect(first.stdout).toContain(`${DEMO_PRESENT} present, quorum 18 of 34 members reached`);
    expect(first.stdout).toContain('voting OPEN');
    expect(first.stdout).toContain('-H "authorization: Bearer $VILLAGER_TOKEN"');
    expect(meetingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('prints tokens the server accepts: villagers who are present and have not voted', async () => {
    const tokens = await createTokenService(config);
    const context = await openContext(config, quiet);
    try {
      const { state } = await context
        .get(Aggregates)
        .load(streams.meeting(meetingId), meetings.meetingDecider);
      for (const name of ['VILLAGER_TOKEN', 'VILLAGER2_TOKEN']) {
        const actor = await tokens.verify(exportVariable(first, name));
        expect(actor).toMatchObject({ role: 'VILLAGER', villageId: DEMO_VILLAGE.villageId });
        expect(state.present.has(actor.subject)).toBe(true);
        expect(state.items.get('item-1')?.ballots.has(actor.subject)).toBe(false);
      }
      expect(state.present.size).toBe(DEMO_PRESENT);
      expect(state.items.get('item-1')?.status).toBe('OPEN');
    } finally {
      await context.close();
    }
    const roles = await Promise.all(
      ['CLERK_TOKEN', 'SUPERVISOR_TOKEN', 'AUDITOR_TOKEN', 'INTEGRATOR_TOKEN'].map(
        async (name) => (await tokens.verify(exportVariable(first, name))).role,
      ),
    );
    expect(roles).toEqual(['CLERK', 'SUPERVISOR', 'TOWNSHIP_AUDITOR', 'INTEGRATOR']);
  });

  it('tells time honestly: in store order, notice ten days before the sitting, opened after it', async () => {
    const { store, close } = await openStore(config);
    const events: StoredEvent[] = [];
    try {
      for await (const event of store.readAll()) events.push(event);
    } finally {
      await close();
    }
    const metadata = (event: StoredEvent) =>
      event.metadata as { occurredAt: string; correlationId: string };
    const at = (event: StoredEvent) => Date.parse(metadata(event).occurredAt);
    const instants = events.map(at);
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(Math.max(...instants)).toBeLessThanOrEqual(Date.now());
    expect(new Set(events.map((event) => metadata(event).correlationId))).toEqual(
      new Set([DEMO_CORRELATION]),
    );
    const only = (type: string) => {
      const found = events.filter((event) => event.type === type);
      expect(found).toHaveLength(1);
      return found[0] as StoredEvent;
    };
    const convened = only('MeetingConvened');
    const { scheduledAt, noticeAt } = convened.data as { scheduledAt: string; noticeAt: string };
    expect(Date.parse(scheduledAt) - Date.parse(noticeAt)).toBeGreaterThanOrEqual(10 * 86_400_000);
    expect(at(convened)).toBeLessThan(Date.parse(scheduledAt));
    expect(at(only('MeetingOpened'))).toBeGreaterThanOrEqual(Date.parse(scheduledAt));
  });

  it('a second run finds the village, seeds nothing and prints fresh tokens', async () => {
    const before = await eventCount(env);
    const second = await cli(env, 'demo');
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain(`The demo village ${DEMO_VILLAGE.villageId} is already in`);
    expect(exportVariable(second, 'MEETING_ID')).toBe(meetingId);
    expect(exportVariable(second, 'VILLAGER_TOKEN')).toMatch(/^ey/);
    expect(await eventCount(env)).toBe(before);
  });

  it('exports the proposals with their resolutions, and a rebuilt read model exports the same', async () => {
    // Everyone present votes FOR, online, and the clerk closes: the proposal is resolved.
    const context = await openContext(config, quiet);
    try {
      const commands = context.get(MeetingCommands);
      const { villageId } = DEMO_VILLAGE;
      const { state } = await context
        .get(Aggregates)
        .load(streams.meeting(meetingId), meetings.meetingDecider);
      for (const villagerId of state.present) {
        await commands.castBallot(
          { meetingId, itemId: 'item-1', villagerId, choice: 'FOR' },
          'ONLINE',
          commandContext({ subject: villagerId, role: 'VILLAGER', villageId }),
        );
      }
      await commands.closeVoting(meetingId, 'item-1', clerkContext(villageId, 'clerk-test'));
    } finally {
      await context.close();
    }

    const run = await exportTo('before.json');
    expect(run).toEqual({
      code: 0,
      stdout: `exported 1 proposal of ${DEMO_VILLAGE.villageId} to ${join(env.DATA_DIR, 'before.json')}\n`,
      stderr: '',
    });
    const before = exported('before.json');
    expect(before.village).toEqual({
      id: DEMO_VILLAGE.villageId,
      name: '青山村',
      township: '青山演示镇',
      county: '安吉县',
      province: '浙江省',
    });
    expect(before.ruleBook).toBe('VCOL-2018');
    expect(Date.parse(before.exportedAt)).not.toBeNaN();
    expect(before.proposals).toHaveLength(1);
    expect(before.proposals[0]).toMatchObject({
      title: '修缮村口石拱桥',
      step: 'RESOLVED',
      pathStep: 4,
      deliberations: [{ step: 'JOINT_COMMITTEES' }, { step: 'PARTY_MEMBERS' }],
      resolution: {
        meetingId,
        itemId: 'item-1',
        outcome: 'PASSED',
        tally: { for: DEMO_PRESENT, against: 0, abstain: 0 },
      },
    });

    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(env.DATA_DIR, `${READ_MODEL_FILE}${suffix}`), { force: true });
    }
    const events = await eventCount(env);
    const rebuilt = await cli(env, 'projections', 'rebuild');
    expect(rebuilt).toEqual({
      code: 0,
      stdout: `rebuilt the read model from ${events} events\n`,
      stderr: '',
    });
    expect((await exportTo('after.json')).code).toBe(0);
    const after = exported('after.json');
    expect({ ...after, exportedAt: '' }).toEqual({ ...before, exportedAt: '' });

    const stdout = await cli(env, 'export', 'decisions', DEMO_VILLAGE.villageId);
    expect({ ...(JSON.parse(stdout.stdout) as DecisionsExport), exportedAt: '' }).toEqual({
      ...before,
      exportedAt: '',
    });
  });

  it('will not rebuild under a running server, and exports from a private replay meanwhile', async () => {
    // What a running server holds: the read database, opened as the server opens it.
    const server = openReadDatabase({ dataDir: env.DATA_DIR });
    try {
      const rebuild = await cli(env, 'projections', 'rebuild');
      expect(rebuild).toMatchObject({ code: 1, stdout: '' });
      expect(rebuild.stderr).toContain('is open in another process: stop the server');
      const run = await cli(env, 'export', 'decisions', DEMO_VILLAGE.villageId);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('private replay');
      expect(JSON.parse(run.stdout).proposals).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('exports from a private replay while another CLI holds the read model', async () => {
    const held = claimSharedReadDatabase(config);
    expect(held).toBeDefined();
    try {
      const run = await cli(env, 'export', 'decisions', DEMO_VILLAGE.villageId);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('private replay');
      expect(JSON.parse(run.stdout).proposals).toHaveLength(1);
    } finally {
      held?.close();
    }
  });

  it('refuses to rebuild a memory store, and to export an unknown village', async () => {
    const memory = await cli({ EVENT_STORE: 'memory' }, 'projections', 'rebuild');
    expect(memory).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('EVENT_STORE=memory'),
    });
    const unknown = await cli(env, 'export', 'decisions', 'nowhere');
    expect(unknown).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'cunyi: village nowhere is not registered\n',
    });
  });
});

describe('cunyi CLI: a read model held elsewhere', () => {
  // better-sqlite3's addon keeps the error class of the first realm that loaded it: in a Jest
  // worker running several files, its errors are not `instanceof Error` here. CI met exactly that.
  const fromAnotherRealm = (code: string) =>
    runInNewContext(`Object.assign(new Error('database is locked'), { code: '${code}' })`);

  it('is recognised by the SQLite code, whatever realm made the error', () => {
    expect(fromAnotherRealm('SQLITE_BUSY') instanceof Error).toBe(false);
    expect(isBusy(fromAnotherRealm('SQLITE_BUSY'))).toBe(true);
    expect(isBusy(new Error('wrapped', { cause: fromAnotherRealm('SQLITE_BUSY_SNAPSHOT') }))).toBe(
      true,
    );
    expect(isBusy(fromAnotherRealm('SQLITE_CORRUPT'))).toBe(false);
    expect(isBusy('SQLITE_BUSY')).toBe(false);
  });
});
