import { Command } from 'commander';
import { migrate } from '@minato/core';
import { withContext } from '../context.js';

/** `minato migrate`: applies pending PostgreSQL migrations (safe to run from several replicas at once). */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending PostgreSQL migrations (idempotent, under an advisory lock)')
    .action(() =>
      withContext(async (ctx) => {
        const { applied, current } = await migrate(ctx.sql, ctx.logger);
        console.log(
          applied.length === 0
            ? `schema is up to date (version ${current})`
            : `applied ${applied.map((m) => `${m.version} ${m.name}`).join(', ')}; schema version ${current}`,
        );
      }),
    );
}
