import type { Client } from '@elastic/elasticsearch';
import type { TorrentRepository } from '../db/torrent-repository.js';
import { SearchUnavailableError } from '../errors.js';
import { needsEnrichment } from '../passes/chain.js';
import type { QueueSet } from '../queues/job-catalog.js';
import { enqueueTorrents } from '../queues/producers.js';

export interface ReconcileOptions {
  repository: TorrentRepository;
  search: Client;
  index: string;
  /** where the rows found go; left out by a dry run, which only counts */
  queues?: QueueSet;
  /** only rows changed since then */
  since?: Date;
  pageSize?: number;
  /** called after each page with the running summary */
  onPage?: (summary: ReconcileSummary) => void;
}

export interface ReconcileSummary {
  scanned: number;
  /** never indexed, or marked indexed but absent from Elasticsearch: sent to TORRENT_INGEST */
  ingest: number;
  /** Elasticsearch holds an older version than PostgreSQL: sent to ES_SYNC */
  sync: number;
  /** indexed and current, but still needing enrichment (its CLASSIFY job was lost): sent to CLASSIFY */
  classify: number;
}

/**
 * Finds rows whose Elasticsearch projection is missing or stale and re-enqueues them, page by page with
 * an info-hash cursor. Elasticsearch's own `_version` (the external version written) is compared with the
 * row version, so nothing depends on Redis having kept its jobs. Without `queues` it only counts.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
  const { repository, search, index, queues, since, pageSize = 1_000 } = options;
  const summary: ReconcileSummary = { scanned: 0, ingest: 0, sync: 0, classify: 0 };
  const indexExists = await search.indices.exists({ index });
  let after = '';
  for (;;) {
    const rows = await repository.versionPage(after, pageSize, since);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.infoHash ?? after;
    const esVersions = new Map<string, number>();
    if (indexExists) {
      const { docs } = await search.mget({ index, ids: rows.map((r) => r.infoHash), _source: false });
      for (const doc of docs) {
        // A shard still recovering (Elasticsearch just restarted) answers an error, not "absent": taking it
        // for a missing document would clear `indexed_version` on rows that are indexed.
        if ('error' in doc) {
          throw new SearchUnavailableError(
            `Elasticsearch could not read ${doc._id} from ${index}: ${doc.error.type}`,
            { index, infoHash: doc._id },
          );
        }
        if (doc.found && doc._version) esVersions.set(doc._id, doc._version);
      }
    }
    const ingest: string[] = [];
    const lost: string[] = [];
    const sync: string[] = [];
    const classify: string[] = [];
    for (const row of rows) {
      const esVersion = esVersions.get(row.infoHash);
      if (esVersion === undefined) {
        ingest.push(row.infoHash);
        if (row.indexedVersion !== null) lost.push(row.infoHash);
      } else if (esVersion < row.version) sync.push(row.infoHash);
      else if (needsEnrichment(row)) classify.push(row.infoHash);
    }
    if (queues) {
      // Marked indexed but absent: PostgreSQL must stop claiming so until pass 1 writes them again.
      await repository.markNotIndexed(lost);
      await enqueueTorrents(queues, 'TORRENT_INGEST', ingest);
      await enqueueTorrents(queues, 'ES_SYNC', sync);
      await enqueueTorrents(queues, 'CLASSIFY', classify);
    }
    summary.scanned += rows.length;
    summary.ingest += ingest.length;
    summary.sync += sync.length;
    summary.classify += classify.length;
    options.onPage?.({ ...summary });
  }
  return summary;
}
