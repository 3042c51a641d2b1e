import { Command } from 'commander';
import { date } from '../arguments.js';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

/** `minato backfill [--since DATE] [--dry-run]`: the reconciler, run by hand. */
export function backfillCommand(): Command {
  return new Command('backfill')
    .description('re-enqueue torrents whose Elasticsearch document is missing or older than PostgreSQL')
    .option('--since <date>', 'only rows changed since this date', date)
    .option('--dry-run', 'count what would be enqueued, enqueue nothing', false)
    .action((opts: { since?: Date; dryRun: boolean }) =>
      withRuntime(async ({ runtime, core, searchAs }) => {
        const { torrents } = await runtime.torrents.counts();
        const progress = new Progress('backfill', opts.since ? null : torrents);
        let scanned = 0;
        const summary = await core.reconcile({
          repository: runtime.torrents,
          search: await searchAs('backfill'),
          index: runtime.config.ELASTICSEARCH_INDEX,
          // A dry run only counts: it never opens Redis.
          ...(opts.dryRun ? {} : { queues: runtime.queues }),
          ...(opts.since ? { since: opts.since } : {}),
          onPage: (s) => {
            progress.tick(s.scanned - scanned);
            scanned = s.scanned;
          },
        });
        const verb = opts.dryRun ? 'would enqueue' : 'enqueued';
        progress.finish(
          `${summary.scanned} scanned; ${verb} ${summary.ingest} for ingest, ${summary.sync} for sync, ${summary.classify} for classify`,
        );
      }),
    );
}
