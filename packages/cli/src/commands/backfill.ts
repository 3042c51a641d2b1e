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
 * the periodic pass (what changed since the checkpoint, what is behind its version, a count per alias); `--full`
 * compares every row with Elasticsearch, `--since` every row changed since a date. What it finds goes out as
 * bulk jobs.
 */
export function backfillCommand(): Command {
  return new Command('backfill')
    .description('re-enqueue torrents whose Elasticsearch document is missing or older than PostgreSQL')
    .option('--full', 'compare every row with Elasticsearch (after documents were lost wholesale)', false)
    .option('--since <date>', 'compare every row changed since this date', date)
    .option('--dry-run', 'count what would be enqueued, enqueue nothing', false)
    .action((opts: BackfillOptions) =>
      withRuntime(
        { needs: ['database', 'search', ...(opts.dryRun ? [] : (['redis'] as const))] },
        async ({ runtime, core, searchAs }) => {
          const common = {
            repository: runtime.torrents,
            search: await searchAs('backfill'),
            index: runtime.config.ELASTICSEARCH_INDEX,
            // A dry run only counts: it never opens Redis.
            ...(opts.dryRun ? {} : { queues: runtime.queues }),
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
          const verb = opts.dryRun ? 'would enqueue' : 'enqueued';
          progress.finish(
            `${summary.scanned} scanned; ${verb} ${summary.ingest} for ingest, ${summary.sync} for sync, ${summary.classify} for classify${mode}`,
          );
        },
      ),
    );
}
