import { Command, InvalidArgumentError } from 'commander';
import type { PendingPass } from '@minato/core';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

const passes: readonly PendingPass[] = ['ingest', 'classify', 'sync'];

/** `minato enqueue ingest|classify|sync (--all | HASH...)`. */
export function enqueueCommand(): Command {
  return new Command('enqueue')
    .description(
      'enqueue torrents for a pass: ingest (TORRENT_INGEST), classify (CLASSIFY, pass 2: enrichment) or sync (ES_SYNC)',
    )
    .argument('<pass>', 'ingest | classify | sync')
    .argument('[hashes...]', 'info hashes to enqueue')
    .option('--all', 'every torrent that still needs that pass', false)
    .action((pass: string, hashes: string[], opts: { all: boolean }) => {
      if (!passes.includes(pass as PendingPass))
        throw new InvalidArgumentError(`pass must be ingest, classify or sync, got "${pass}"`);
      if (opts.all === hashes.length > 0) throw new InvalidArgumentError('give either --all or info hashes');
      return withRuntime(
        { needs: opts.all ? ['database', 'redis'] : ['redis'] },
        async ({ runtime, core }) => {
          const queue = core.QUEUES[pass as PendingPass];
          if (!opts.all) {
            const n = await core.enqueueTorrents(runtime.queues, queue, hashes.map(core.normalizeInfoHash));
            console.log(`enqueued ${n} on ${queue}`);
            return;
          }
          const progress = new Progress(`enqueue ${queue}`, null);
          let scanned = 0;
          const total = await core.enqueuePending({
            repository: runtime.torrents,
            queues: runtime.queues,
            pass: pass as PendingPass,
            onPage: (page) => {
              progress.tick(page.scanned - scanned);
              scanned = page.scanned;
            },
          });
          progress.finish(`${total} enqueued on ${queue}`);
        },
      );
    });
}
