import type { TorrentRepository, VersionRow } from '../db/torrent-repository.js';
import { SearchUnavailableError } from '../errors.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { needsEnrichment } from '../passes/chain.js';
import type { QueueName, QueueSet } from '../queues/job-catalog.js';
import { enqueueBulk } from '../queues/producers.js';

export interface ReconcileOptions {
  repository: TorrentRepository;
  search: SearchEngine;
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

/** Where a page's rows must go, after comparing them with what Elasticsearch holds. */
export interface RowRouting {
  ingest: string[];
  sync: string[];
  classify: string[];
  /** marked indexed in PostgreSQL but absent from Elasticsearch */
  lost: string[];
}

/**
 * The full comparison (`minato backfill --full`, and the reconciler's repair after a wholesale loss): every
 * row, page by page with an info-hash cursor, compared with the `_version` Elasticsearch holds (the external
 * version written), so nothing depends on Redis having kept its jobs. What it finds goes out as bulk jobs.
 * Without `queues` it only counts.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
  const { repository, search, index, queues, since, pageSize = 1_000 } = options;
  const summary: ReconcileSummary = { scanned: 0, ingest: 0, sync: 0, classify: 0 };
  const indexExists = await search.indexExists(index);
  let after = '';
  for (;;) {
    const rows = await repository.versionPage(after, pageSize, since);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.infoHash ?? after;
    const routing = await compareWithIndex(search, index, rows, indexExists);
    if (queues) await sendRouted(repository, queues, routing);
    addToSummary(summary, rows.length, routing);
    options.onPage?.({ ...summary });
  }
  return summary;
}

/** Compares rows with the versions Elasticsearch holds (one `mget`); `indexExists` false means it holds none. */
export async function compareWithIndex(
  search: SearchEngine,
  index: string,
  rows: readonly VersionRow[],
  indexExists = true,
): Promise<RowRouting> {
  const esVersions = new Map<string, number>();
  if (indexExists && rows.length > 0) {
    for (const doc of await search.storedVersions(
      index,
      rows.map((r) => r.infoHash),
    )) {
      // A shard still recovering (the engine just restarted, a node was lost) answers an error, not "absent":
      // taking it for a missing document would clear `indexed_version` on rows that are indexed.
      if ('error' in doc) {
        throw new SearchUnavailableError(
          `the search engine could not read ${doc.id} from ${index}: ${doc.error}`,
          {
            index,
            infoHash: doc.id,
          },
        );
      }
      if (doc.found) esVersions.set(doc.id, doc.version);
    }
  }
  const routing: RowRouting = { ingest: [], sync: [], classify: [], lost: [] };
  for (const row of rows) {
    const esVersion = esVersions.get(row.infoHash);
    if (esVersion === undefined) {
      routing.ingest.push(row.infoHash);
      if (row.indexedVersion !== null) routing.lost.push(row.infoHash);
    } else if (esVersion < row.externalVersion) routing.sync.push(row.infoHash);
    else if (needsEnrichment(row)) routing.classify.push(row.infoHash);
  }
  return routing;
}

/** Sends routed rows as bulk jobs; `only` limits it to some queues (the others are busy with these rows). */
export async function sendRouted(
  repository: TorrentRepository,
  queues: QueueSet,
  routing: RowRouting,
  only: (queue: QueueName) => boolean = () => true,
): Promise<RowRouting> {
  const sent: RowRouting = {
    ingest: only('TORRENT_INGEST') ? routing.ingest : [],
    sync: only('ES_SYNC') ? routing.sync : [],
    classify: only('CLASSIFY') ? routing.classify : [],
    lost: only('TORRENT_INGEST') ? routing.lost : [],
  };
  // Marked indexed but absent: PostgreSQL must stop claiming so until pass 1 writes them again.
  await repository.markNotIndexed(sent.lost);
  await enqueueBulk(queues, 'TORRENT_INGEST', sent.ingest);
  await enqueueBulk(queues, 'ES_SYNC', sent.sync);
  await enqueueBulk(queues, 'CLASSIFY', sent.classify);
  return sent;
}

/** Adds a page's scanned rows and routed torrents to a running summary. */
export function addToSummary(summary: ReconcileSummary, scanned: number, routing: RowRouting): void {
  summary.scanned += scanned;
  summary.ingest += routing.ingest.length;
  summary.sync += routing.sync.length;
  summary.classify += routing.classify.length;
}
