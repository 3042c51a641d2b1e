import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { TorrentRepository } from '../../db/torrent-repository.js';
import { TorrentProjector } from './torrent-projector.js';
import { ElasticsearchBuffer } from './es-buffer.js';
import type { SearchEngine } from '../engines/search-engine.js';
import { concreteIndexName, ensureIndex, type IndexLayout } from './index-template.js';

export interface ReindexOptions {
  client: SearchEngine;
  alias: string;
  layout: IndexLayout;
  repository: TorrentRepository;
  logger: Logger;
  pageSize?: number;
  /** called as rows are written: (done, total) */
  onProgress?: (done: number, total: number) => void;
}

export interface ReindexResult {
  from: string[];
  to: string;
  documents: number;
}

/**
 * Rebuilds the index from PostgreSQL under the current template, then swaps the alias in one atomic
 * `_aliases` call, so searches never see a missing or half-filled index. Rows changed while the copy ran
 * are written again through the alias after the swap. The old indexes are deleted only after all that.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  const { client, alias, layout, repository, logger, pageSize = 1_000 } = options;
  // Also puts the current template, which the new index below is created from.
  await ensureIndex(client, alias, layout);
  const from = await client.indexesOf(alias);
  const to = concreteIndexName(alias, String(Date.now()));
  await client.createIndex(to);
  const startedAt = new Date(Date.now() - 1_000);
  const total = (await repository.counts()).torrents;

  const copy = (index: string, since?: Date) => copyRows({ ...options, index, pageSize, since, total });
  await copy(to);
  await client.refresh(to);
  await client.swapAlias(alias, from, to);
  // Writes that went to the old index during the copy: replay them through the alias.
  await copy(alias, startedAt);
  const documents = await client.count(to);
  await client.deleteIndexes(from);
  logger.info({ from, to, documents }, 'reindexed');
  return { from, to, documents };
}

async function copyRows(
  options: ReindexOptions & { index: string; pageSize: number; since: Date | undefined; total: number },
): Promise<void> {
  const { client, repository, logger, index, pageSize, since, total } = options;
  const buffer = new ElasticsearchBuffer({
    client,
    index,
    maxDocs: pageSize,
    maxWaitMs: 1_000,
    idleMs: 20,
    maxPendingDocs: pageSize * 2,
    logger,
    // Its own registry: a one-off copy's counters must not collide with a worker's buffer metrics.
    registry: new Registry(),
  });
  const projector = new TorrentProjector(repository, buffer);
  let after = '';
  let done = 0;
  try {
    for (;;) {
      const page = await repository.hashPage(after, pageSize, since);
      if (page.length === 0) break;
      after = page[page.length - 1] ?? after;
      // One read, one pass through the buffer and one mark per page, as a bulk job does.
      const { failed } = await projector.projectMany(page);
      if (failed.length > 0) {
        logger.warn({ failed: failed.length, first: failed[0]?.error.message }, 'rows not copied');
      }
      done += page.length;
      if (!since) options.onProgress?.(done, total);
    }
  } finally {
    await buffer.close();
  }
}
