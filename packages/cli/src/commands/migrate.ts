import { Command } from 'commander';
import { withRuntime } from '../context.js';

/** `minato migrate`: applies pending PostgreSQL migrations (safe to run from several replicas at once). */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply pending PostgreSQL migrations (idempotent, under an advisory lock)')
    .action(() =>
      withRuntime({ needs: ['database-server'] }, async ({ runtime, core }) => {
        const { applied, current } = await core.migrate(runtime.sql, runtime.logger);
        console.log(
          applied.length === 0
            ? `schema is up to date (version ${current})`
            : `applied ${applied.map((m) => `${m.version} ${m.name}`).join(', ')}; schema version ${current}`,
        );
      }),
    );
}
