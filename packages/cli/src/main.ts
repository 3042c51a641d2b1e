#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { backfillCommand } from './commands/backfill.js';
import { deleteCommand } from './commands/delete.js';
import { enqueueCommand } from './commands/enqueue.js';
import { migrateCommand } from './commands/migrate.js';
import { parseCommand } from './commands/parse.js';
import { reindexCommand } from './commands/reindex.js';
import { restoreDoneCommand } from './commands/restore-done.js';
import { searchCommand } from './commands/search.js';
import { seedCommand } from './commands/seed.js';
import { statusCommand } from './commands/status.js';
import { EXIT_STATUS_HELP, failureReport } from './failure-report.js';

const program = new Command('minato')
  .description('Operate the Minato workers: migrate, seed, enqueue, inspect, repair and search')
  .option('--verbose', 'log at debug level and print the stack of any error')
  .showHelpAfterError()
  .addHelpText('after', `\n${EXIT_STATUS_HELP}`)
  .hook('preAction', () => {
    // The runtime reads its log level from the environment, as every process of Minato does.
    if (program.opts<{ verbose?: boolean }>().verbose) process.env.LOG_LEVEL = 'debug';
  })
  .addCommand(migrateCommand())
  .addCommand(seedCommand())
  .addCommand(enqueueCommand())
  .addCommand(statusCommand())
  .addCommand(backfillCommand())
  .addCommand(deleteCommand())
  .addCommand(reindexCommand())
  .addCommand(restoreDoneCommand())
  .addCommand(searchCommand())
  .addCommand(parseCommand());

// Commander's own failures (an unknown option, `--help`) come back as errors, so that one place sets the status.
for (const command of [program, ...program.commands]) command.exitOverride();

// Every command loads core when it runs (see context.ts), so this file imports nothing of it up front.
// Ends the process once the command is done, even when a client keeps a handle open (a pool still connecting).
program.parseAsync(process.argv).then(
  () => process.exit(),
  async (error: unknown) => {
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
    // Only the error classes: an unreachable service is reported without loading the rest of core.
    const errors = await import('@minato/core/errors');
    const { line, status } = failureReport(error, errors);
    if (verbose && error instanceof Error && !(error instanceof CommanderError)) console.error(error.stack);
    else if (line) console.error(line);
    // A client still reconnecting to the service that is missing would keep the process alive: the answer is
    // given, so the command ends here.
    process.exit(status);
  },
);
