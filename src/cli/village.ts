import { readFile } from 'node:fs/promises';
import type { Actor } from '../auth/actor';
import { type CommandContext, commandContext } from '../common/command-context';
import type { AppConfig } from '../config/config';
import { type RegisterVillageInput, VillageCommands } from '../villages/commands/village-commands';
import { parseRollCsv, RollCsvError, type RollCsvProblem } from '../villages/roll-csv';
import { VILLAGE_ID } from '../villages/village.args';
import { openContext, requirePersistentStore } from './context';
import { CliError, type Io, Reported } from './io';

/** The subject of the clerk the CLI acts as when `--as` is not given. */
export const CLI_SUBJECT = 'cli';

/** The CLI acts as a clerk of the village, through the 'cli' channel. */
export function clerkContext(
  villageId: string,
  subject = CLI_SUBJECT,
  correlationId?: string,
): CommandContext {
  const actor: Actor = { subject, role: 'CLERK', villageId };
  return commandContext(actor, { channel: 'cli', correlationId });
}

export function requireVillageId(villageId: string): void {
  if (!VILLAGE_ID.test(villageId)) {
    throw new CliError(
      `village id "${villageId}" is not valid: lowercase letters, digits and dashes, starting with a letter or digit`,
    );
  }
}

export async function registerVillage(
  config: AppConfig,
  io: Io,
  input: RegisterVillageInput,
  as?: string,
): Promise<void> {
  requireVillageId(input.villageId);
  requirePersistentStore(config, 'village register');
  const context = await openContext(config, io);
  try {
    await context.get(VillageCommands).registerVillage(input, clerkContext(input.villageId, as));
  } finally {
    await context.close();
  }
  const { villageId, name, township, county, province } = input;
  io.stdout.write(
    `registered village ${villageId}: ${name}, ${township}, ${county}, ${province}\n`,
  );
}

/**
 * Imports the household register with the very command the importRoll mutation runs: all rows or
 * none. A refused file is reported problem by problem, each on the line a clerk sees.
 */
export async function importRoll(
  config: AppConfig,
  io: Io,
  villageId: string,
  file: string,
  as?: string,
): Promise<void> {
  requireVillageId(villageId);
  requirePersistentStore(config, 'roll import');
  const bytes = await readBytes(file);
  let imported: { households: number; villagers: number };
  try {
    const csv = rollText(bytes);
    const context = await openContext(config, io);
    try {
      imported = await context
        .get(VillageCommands)
        .importRoll(villageId, csv, clerkContext(villageId, as));
    } finally {
      await context.close();
    }
  } catch (error) {
    const problems = rollProblemsOf(error);
    if (problems === undefined) throw error;
    io.stderr.write(
      `cunyi: ${file} was refused, nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`,
    );
    for (const problem of problems) io.stderr.write(`${describeProblem(problem)}\n`);
    throw new Reported();
  }
  io.stdout.write(
    `imported ${imported.households} households, ${imported.villagers} villagers into ${villageId}\n`,
  );
}

export function describeProblem({ line, column, message }: RollCsvProblem): string {
  return column === undefined ? `line ${line}: ${message}` : `line ${line}: ${column}: ${message}`;
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code;
    throw new CliError(`cannot read ${file}: ${why ?? (error as Error).message}`);
  }
}

/**
 * The file's text (a byte-order mark dropped). Not UTF-8: the parser's own refusal, so the CLI
 * and the mutation word it alike.
 */
function rollText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    parseRollCsv(bytes);
    throw new CliError('the file is not UTF-8 text');
  }
}

/** The problems of a refused roll: from the parser, or as importRoll reports them (INVALID_ROLL_CSV). */
function rollProblemsOf(error: unknown): readonly RollCsvProblem[] | undefined {
  if (error instanceof RollCsvError) return error.problems;
  // Matched by code, not class: graphql ships both an ES module and a CommonJS build.
  const extensions = (error as { extensions?: { code?: unknown; problems?: unknown } }).extensions;
  if (extensions?.code === 'INVALID_ROLL_CSV' && Array.isArray(extensions.problems)) {
    return extensions.problems as RollCsvProblem[];
  }
  return undefined;
}
