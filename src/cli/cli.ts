import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type AppConfig, loadConfig } from '../config/config';
import { exportDossier, verifyAudit } from './audit';
import { runDemo } from './demo';
import { exportDecisions } from './export-decisions';
import { CliError, EXIT, type Io, Reported, UsageError } from './io';
import { rebuildProjections } from './projections';
import { mintToken } from './token';
import { importRoll, registerVillage } from './village';

export const USAGE = `Usage: npm run cli -- <command>   (npm run -s cli -- … prints only what the command prints)

Commands:
  village register <villageId> --name <name> --township <township> --county <county>
                   --province <province> [--as <clerk-subject>]
      Registers a village, as a CLERK of it.
  roll import <villageId> <file.csv> [--as <clerk-subject>]
      Imports the household register (UTF-8 CSV, with or without a BOM: 户号, 姓名, 性别,
      出生日期, 居住依据 and optionally 户名), all rows or none, as a CLERK of the village
      (subject 'cli' unless --as). A refused file: every problem on stderr, by line; exit 1.
  token <ROLE> [--village <id>] [--township <name>] [--subject <sub>] [--ttl <seconds>]
      Prints a token the server accepts (embedded HS256 mode only). ROLE is VILLAGER,
      CLERK or SUPERVISOR (with --village; a VILLAGER's or SUPERVISOR's --subject is their
      villager id), TOWNSHIP_AUDITOR (with --township) or INTEGRATOR. Default ttl 8 hours.
  projections rebuild
      Rebuilds the read model from every event in the store. Stop the server first.
  export decisions <villageId> [--out <file.json>]
      The village's proposals and their resolutions as JSON, to stdout or --out.
  audit verify [--tree-head <file.json>]
      Recomputes every leaf of the transparency log from the event store and names the first
      event changed, deleted or reordered since it was logged; checks every signed tree head,
      and the one in --tree-head (as signedTreeHead returns it, or an audit export), against
      it with an RFC 6962 consistency proof. Exit 1 on any divergence.
  audit export <proposalId> [--out <file.json>]
      The decision's dossier: its whole trail, each event with its inclusion proof, the
      signed tree head and the public key, to check offline.
  demo
      Seeds a demo village with a proposal ready to vote on (again: fresh tokens only).

The store and secret are those of the server, from the same environment: EVENT_STORE,
DATA_DIR, EVENTSTORE_CONNECTION_STRING, AUTH_JWT_SECRET, AUTH_JWKS_URL, PORT.
Exit status: 0 done, 1 refused or failed, 2 usage.
`;

type Env = Readonly<Record<string, string | undefined>>;

export interface CliOptions {
  /** The environment the configuration is read from; process.env by default. */
  readonly env?: Env;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed = {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | undefined>>;
};

interface Command {
  readonly positionals: readonly string[];
  readonly options?: Options;
  readonly required?: readonly string[];
  readonly run: (config: AppConfig, io: Io, args: Parsed) => Promise<void>;
}

const text = { type: 'string' } as const;

const COMMANDS: Readonly<Record<string, Command>> = {
  'village register': {
    positionals: ['villageId'],
    options: { name: text, township: text, county: text, province: text, as: text },
    required: ['name', 'township', 'county', 'province'],
    run: (config, io, { positionals: [villageId], values }) =>
      registerVillage(
        config,
        io,
        {
          villageId: villageId as string,
          name: values.name as string,
          township: values.township as string,
          county: values.county as string,
          province: values.province as string,
        },
        values.as,
      ),
  },
  'roll import': {
    positionals: ['villageId', 'file.csv'],
    options: { as: text },
    run: (config, io, { positionals: [villageId, file], values }) =>
      importRoll(config, io, villageId as string, file as string, values.as),
  },
  token: {
    positionals: ['ROLE'],
    options: { village: text, township: text, subject: text, ttl: text },
    run: (config, io, { positionals: [role], values }) =>
      mintToken(config, io, { ...values, role: role as string }),
  },
  'projections rebuild': {
    positionals: [],
    run: (config, io) => rebuildProjections(config, io),
  },
  'export decisions': {
    positionals: ['villageId'],
    options: { out: text },
    run: (config, io, { positionals: [villageId], values }) =>
      exportDecisions(config, io, villageId as string, values.out),
  },
  'audit verify': {
    positionals: [],
    options: { 'tree-head': text },
    run: (config, io, { values }) => verifyAudit(config, io, values['tree-head']),
  },
  'audit export': {
    positionals: ['proposalId'],
    options: { out: text },
    run: (config, io, { positionals: [proposalId], values }) =>
      exportDossier(config, io, proposalId as string, values.out),
  },
  demo: {
    positionals: [],
    run: (config, io) => runDemo(config, io),
  },
};

const wantsHelp = (argv: readonly string[]) =>
  argv[0] === 'help' || argv.some((arg) => arg === '--help' || arg === '-h');

/**
 * Runs one command and resolves with its exit status; never rejects. Output goes to `io`; the
 * configuration is read from `options.env` as the server reads it.
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  options: CliOptions = {},
): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  try {
    const { command, rest } = commandOf(argv);
    const args = parse(command, rest);
    await command.run(loadConfig(options.env ?? process.env), io, args);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cunyi: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (!(error instanceof Reported)) io.stderr.write(`cunyi: ${explain(error)}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}

function commandOf(argv: readonly string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  if (first === undefined) throw new UsageError('no command given');
  const one = COMMANDS[first];
  if (one !== undefined) return { command: one, rest: argv.slice(1) };
  const two = second === undefined ? undefined : COMMANDS[`${first} ${second}`];
  if (two !== undefined) return { command: two, rest: argv.slice(2) };
  const known = Object.keys(COMMANDS).filter((name) => name.startsWith(`${first} `));
  throw new UsageError(
    known.length > 0
      ? `unknown command "${argv.slice(0, 2).join(' ')}": did you mean ${known.join(' or ')}?`
      : `unknown command "${first}"`,
  );
}

function parse(command: Command, args: string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: command.options ?? {},
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const expected = command.positionals;
  if (parsed.positionals.length !== expected.length) {
    throw new UsageError(
      parsed.positionals.length < expected.length
        ? `missing <${expected[parsed.positionals.length]}>`
        : `unexpected argument "${parsed.positionals[expected.length]}"`,
    );
  }
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') values[name] = value;
  }
  for (const name of command.required ?? []) {
    if (values[name] === undefined || values[name].trim() === '') {
      throw new UsageError(`--${name} is required`);
    }
  }
  return { positionals: parsed.positionals, values };
}

/** One line: the refusal's code (and rule) where it has one, then its message. */
function explain(error: unknown): string {
  // Not `instanceof Error`: better-sqlite3's errors may come from another realm (see isBusy).
  if (typeof (error as { message?: unknown } | null)?.message !== 'string') return String(error);
  if (error instanceof CliError) return error.message;
  const { message, code, ruleId, extensions } = error as Error & {
    code?: unknown;
    ruleId?: unknown;
    extensions?: { code?: unknown };
  };
  const label = typeof code === 'string' ? code : extensions?.code;
  if (typeof label !== 'string') return message;
  return `${label}${typeof ruleId === 'string' ? ` (${ruleId})` : ''}: ${message}`;
}
