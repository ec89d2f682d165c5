#!/usr/bin/env node
import { buildProgram, CommanderError } from './cli/program.js';
import { CliExit, describeError, EXIT } from './cli/context.js';
import { limitHeapGrowth } from './cli/heap-growth.js';
import { holdYoungGeneration } from './cli/young-generation.js';

limitHeapGrowth(process.execArgv);
holdYoungGeneration(process.execArgv);

async function main(argv: readonly string[]): Promise<number> {
  let result: Promise<number> | undefined;
  const program = buildProgram((r) => (result = r));
  try {
    await program.parseAsync(argv as string[]);
    if (!result) {
      program.outputHelp();
      return EXIT.USAGE;
    }
    return await result;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof CliExit) {
      process.stderr.write(`atlassian-audit-receiver: ${err.message}\n`);
      return err.exitCode;
    }
    // Unexpected: one line for the user; the stack only when asked for.
    process.stderr.write(`atlassian-audit-receiver: ${describeError(err)}\n`);
    if (argv.includes('debug') && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return EXIT.FAILED;
  }
}

// `demo | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.OK);
  throw err;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
