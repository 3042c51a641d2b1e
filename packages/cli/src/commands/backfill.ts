import { Command } from 'commander';
import type { ReconcileSummary } from '@minato/core';
import { date } from '../arguments.js';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

interface BackfillOptions {
  since?: Date;
  full: boolean;
  dryRun: boolean;
}

/**
 * `minato backfill [--full | --since DATE] [--dry-run]`: the reconciler, run by hand. Without an option it is
 * the periodic pass (the deletion record's backlog, what changed since the checkpoint, what is behind its
 * version, a count per alias); `--full` compares every row with Elasticsearch and every document with
 * PostgreSQL, removing documents that have no row; `--since` compares every row changed since a date. What it
 * finds goes out as bulk jobs.
 */
export function backfillCommand(): Command {
  return new Command('backfill')
    .description('re-enqueue torrents whose Elasticsearch document is missing or older than PostgreSQL')
    .option(
      '--full',
      'compare every row with Elasticsearch, and every document with PostgreSQL (documents lost, or left without a row)',
      false,
    )
    .option('--since <date>', 'compare every row changed since this date', date)
    .option('--dry-run', 'count what would be enqueued or removed, change nothing', false)
    .action((opts: BackfillOptions) =>
      withRuntime(
        { needs: ['database', 'search', ...(opts.dryRun ? [] : (['redis'] as const))] },
        async ({ runtime, core, searchAs }) => {
          const search = await searchAs('backfill');
          const index = runtime.config.ELASTICSEARCH_INDEX;
          const deletions = new core.DeletionSweeper({
            deletions: new core.DeletionRepository(runtime.sql),
            search,
            index,
            logger: runtime.logger,
            keepDoneMs: runtime.config.DELETION_KEEP_MS,
          });
          const common = {
            repository: runtime.torrents,
            search,
            index,
            // A dry run only counts: it never opens Redis, nor deletes.
            ...(opts.dryRun ? {} : { queues: runtime.queues, deletions }),
          };
          const total = opts.full ? (await runtime.torrents.counts()).torrents : null;
          const progress = new Progress('backfill', total);
          let scanned = 0;
          const onPage = (s: ReconcileSummary) => {
            progress.tick(s.scanned - scanned);
            scanned = s.scanned;
          };
          let summary: ReconcileSummary;
          let mode = '';
          if (opts.full || opts.since) {
            if (!opts.dryRun) await deletions.sweep();
            summary = await core.reconcile({
              ...common,
              ...(opts.since ? { since: opts.since } : {}),
              onPage,
            });
          } else {
            const changes = await core.reconcileChanges({
              ...common,
              checkpoints: new core.CheckpointRepository(runtime.sql),
              fullEveryMs: runtime.config.RECONCILE_FULL_EVERY_MS,
              onPage,
            });
            summary = changes;
            mode = changes.reason
              ? ` (full comparison: ${changes.reason})`
              : ' (changes since the checkpoint)';
          }
          const orphans = opts.full
            ? await core.removeOrphanDocuments({
                repository: runtime.torrents,
                search,
                index,
                dryRun: opts.dryRun,
              })
            : undefined;
          const verb = opts.dryRun ? 'would enqueue' : 'enqueued';
          const removed = orphans
            ? `; ${orphans.documents} documents read, ${opts.dryRun ? 'would remove' : 'removed'} ${orphans.orphans} without a row`
            : '';
          progress.finish(
            `${summary.scanned} scanned; ${verb} ${summary.ingest} for ingest, ${summary.sync} for sync, ${summary.classify} for classify${mode}${removed}`,
          );
        },
      ),
    );
}
