/** Where the CLI writes: process.stdout and process.stderr, or a test's buffers. */
export interface Writer {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A refusal the CLI explains in one line; exit status 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line itself is wrong: the usage is shown; exit status 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}

/** Already explained on stderr (e.g. a refused roll, problem by problem); exit status 1. */
export class Reported extends CliError {
  constructor() {
    super('');
    this.name = 'Reported';
  }
}
