import { Command } from 'commander';
import type { ReconcileSummary } from '@minato/core';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

/**
 * `minato restore-done`: run once after PostgreSQL was restored from a backup (README, "After a restore from
 * backup"). Elasticsearch converges on the restored rows: every version raised above what it holds, documents of
 * rows the backup does not have removed, every row written again.
 */
export function restoreDoneCommand(): Command {
  return new Command('restore-done')
    .description('after restoring PostgreSQL from a backup: make Elasticsearch follow the restored rows')
    .action(() =>
      withRuntime({ needs: ['database', 'search', 'redis'] }, async ({ runtime, core, searchAs }) => {
        const search = await searchAs('backfill');
        const progress = new Progress('restore-done', (await runtime.torrents.counts()).torrents);
        let scanned = 0;
        const summary = await core.restoreDone({
          repository: runtime.torrents,
          epochs: new core.SearchEpochRepository(runtime.sql),
          search,
          index: runtime.config.ELASTICSEARCH_INDEX,
          queues: runtime.queues,
          deletions: new core.DeletionSweeper({
            deletions: new core.DeletionRepository(runtime.sql),
            search,
            index: runtime.config.ELASTICSEARCH_INDEX,
            logger: runtime.logger,
            keepDoneMs: runtime.config.DELETION_KEEP_MS,
          }),
          onPage: (s: ReconcileSummary) => {
            progress.tick(s.scanned - scanned);
            scanned = s.scanned;
          },
        });
        progress.finish(
          `search epoch ${summary.epoch}; ${summary.orphans} documents without a row removed; ${summary.scanned} rows sent to be written again (${summary.ingest} ingest, ${summary.sync} sync)`,
        );
      }),
    );
}
