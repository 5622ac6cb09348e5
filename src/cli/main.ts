import 'reflect-metadata';
import { runCli } from './cli';

/** `npm run cli -- <command>`: see USAGE in cli.ts. */
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
);
