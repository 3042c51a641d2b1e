import { Command, InvalidArgumentError } from 'commander';
import { reconcile } from '@minato/core';
import { withContext } from '../context.js';
import { Progress } from '../progress.js';

function date(value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()))
    throw new InvalidArgumentError(`must be a date like 2026-11-01, got "${value}"`);
  return parsed;
}

/** `minato backfill [--since DATE] [--dry-run]`: the reconciler, run by hand. */
export function backfillCommand(): Command {
  return new Command('backfill')
    .description('re-enqueue torrents whose Elasticsearch document is missing or older than PostgreSQL')
    .option('--since <date>', 'only rows changed since this date', date)
    .option('--dry-run', 'count what would be enqueued, enqueue nothing', false)
    .action((opts: { since?: Date; dryRun: boolean }) =>
      withContext(async (ctx) => {
        const { torrents } = await ctx.repository.counts();
        const progress = new Progress('backfill', opts.since ? null : torrents);
        let scanned = 0;
        const summary = await reconcile({
          repository: ctx.repository,
          search: await ctx.searchAs('backfill'),
          index: ctx.config.ELASTICSEARCH_INDEX,
          queues: ctx.queues,
          dryRun: opts.dryRun,
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
