#!/usr/bin/env node
import { Command } from 'commander';
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

const program = new Command('minato')
  .description('Operate the Minato workers: migrate, seed, enqueue, inspect, repair and search')
  .showHelpAfterError()
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

// Every command loads core when it runs (see context.ts), so this file imports nothing of it up front.
program.parseAsync(process.argv).catch(async (error: unknown) => {
  // Only the error classes: an unreachable service is reported without loading the rest of core.
  const { MinatoError } = await import('@minato/core/errors');
  // A MinatoError's message already names the thing at fault; anything else is a bug worth its stack.
  console.error(error instanceof MinatoError ? `minato: ${error.message}` : error);
  process.exitCode = 1;
});
