import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import type { NewTorrent } from '@minato/core';
import { positiveInt } from '../arguments.js';
import { withRuntime } from '../context.js';
import { Progress } from '../progress.js';

const CHUNK = 1_000;

async function torrentsFromFile(path: string): Promise<NewTorrent[]> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/).map((l) => l.trim());
  return lines
    .filter((l) => l.length > 0)
    .map((title) => ({ infoHash: randomBytes(20).toString('hex'), title: title.slice(0, 2000), size: 0 }));
}

/** `minato seed`: inserts synthetic or listed torrents, optionally enqueued for pass 1. */
export function seedCommand(): Command {
  return new Command('seed')
    .description('insert demo torrents into PostgreSQL (synthetic, or one release name a line from a file)')
    .option('--count <n>', 'how many synthetic torrents', positiveInt)
    .option('--from-file <file>', 'one release name a line; each gets a fresh random info hash')
    .option('--seed <n>', 'random seed for a reproducible synthetic corpus', positiveInt)
    .option('--enqueue', 'also enqueue them for ingest (TORRENT_INGEST), as bulk jobs', false)
    .action((opts: { count?: number; fromFile?: string; seed?: number; enqueue: boolean }) =>
      withRuntime(
        { needs: ['database', ...(opts.enqueue ? (['redis'] as const) : [])] },
        async ({ runtime, core }) => {
          if ((opts.count === undefined) === (opts.fromFile === undefined)) {
            throw new InvalidArgumentError('give exactly one of --count N or --from-file FILE');
          }
          const torrents = opts.fromFile
            ? await torrentsFromFile(opts.fromFile)
            : core.syntheticTorrents(opts.count ?? 0, opts.seed);
          const progress = new Progress('seeding', torrents.length);
          let inserted = 0;
          let enqueued = 0;
          for (let i = 0; i < torrents.length; i += CHUNK) {
            const chunk = torrents.slice(i, i + CHUNK);
            const hashes = await runtime.torrents.insert(chunk);
            inserted += hashes.length;
            if (opts.enqueue) enqueued += await core.enqueueBulk(runtime.queues, 'TORRENT_INGEST', hashes);
            progress.tick(chunk.length);
          }
          progress.finish(`${inserted} inserted${opts.enqueue ? `, ${enqueued} enqueued for ingest` : ''}`);
        },
      ),
    );
}
