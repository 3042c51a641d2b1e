import { Command, InvalidArgumentError } from 'commander';
import { enqueueByInfoHash, normalizeInfoHash, QUEUES, type PendingPass } from '@minato/core';
import { withContext } from '../context.js';
import { Progress } from '../progress.js';

const PAGE = 1_000;
const passes: Record<PendingPass, keyof typeof QUEUES> = {
  ingest: 'ingest',
  classify: 'classify',
  sync: 'sync',
};

/** `minato enqueue ingest|classify|sync (--all | HASH...)`. */
export function enqueueCommand(): Command {
  return new Command('enqueue')
    .description(
      'enqueue torrents for a pass: ingest (TORRENT_INGEST), classify (CLASSIFY) or sync (ES_SYNC)',
    )
    .argument('<pass>', 'ingest | classify | sync')
    .argument('[hashes...]', 'info hashes to enqueue')
    .option('--all', 'every torrent that still needs that pass', false)
    .action((pass: string, hashes: string[], opts: { all: boolean }) =>
      withContext(async (ctx) => {
        if (!(pass in passes))
          throw new InvalidArgumentError(`pass must be ingest, classify or sync, got "${pass}"`);
        const queue = ctx.queues[QUEUES[passes[pass as PendingPass]]];
        if (opts.all === hashes.length > 0)
          throw new InvalidArgumentError('give either --all or info hashes');
        if (!opts.all) {
          const n = await enqueueByInfoHash(queue, hashes.map(normalizeInfoHash));
          console.log(`enqueued ${n} on ${queue.name}`);
          return;
        }
        const progress = new Progress(`enqueue ${queue.name}`, null);
        let after = '';
        let total = 0;
        for (;;) {
          const page = await ctx.repository.pendingPage(pass as PendingPass, after, PAGE);
          if (page.length === 0) break;
          total += await enqueueByInfoHash(queue, page);
          after = page[page.length - 1] ?? after;
          progress.tick(page.length);
        }
        progress.finish(`${total} enqueued on ${queue.name}`);
      }),
    );
}
