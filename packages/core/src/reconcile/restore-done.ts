import { EPOCH_STRIDE, type SearchEpochRepository } from '../db/search-epoch-repository.js';
import type { TorrentRepository } from '../db/torrent-repository.js';
import type { QueueSet } from '../queues/job-catalog.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import type { DeletionSweeper } from './deletion-sweeper.js';
import { removeOrphanDocuments, type OrphanSweepSummary } from './orphan-documents.js';
import { reconcile, type ReconcileSummary } from './reconciler.js';

export interface RestoreDoneOptions {
  repository: TorrentRepository;
  epochs: SearchEpochRepository;
  search: SearchEngine;
  index: string;
  queues: QueueSet;
  deletions: DeletionSweeper;
  onPage?: (summary: ReconcileSummary) => void;
}

export interface RestoreDoneSummary extends ReconcileSummary {
  epoch: number;
  orphans: number;
}

/**
 * Elasticsearch's highest version and PostgreSQL's when the first is above the second, else undefined: then some
 * document was written from a row newer than any PostgreSQL has, which is what a restore from an older backup
 * leaves (the workers say so at start-up; `minato restore-done` is the way back). Reads the whole table once.
 */
export async function searchAheadOfPostgres(
  search: SearchEngine,
  index: string,
  epochs: SearchEpochRepository,
): Promise<{ indexed: number; rows: number } | undefined> {
  const [indexed, rows] = await Promise.all([search.highestVersion(index), epochs.highestVersion()]);
  return indexed > rows ? { indexed, rows } : undefined;
}

/**
 * `minato restore-done`: after PostgreSQL was restored from a backup, Elasticsearch holds versions the restored
 * rows are behind, and would refuse their writes as stale. Raising the search epoch above the one Elasticsearch's
 * versions show puts every row's next write above them; then the pending deletions are applied, documents with
 * no row removed, and every row sent to be written again (the full comparison, which now finds every document
 * older than its row).
 */
export async function restoreDone(options: RestoreDoneOptions): Promise<RestoreDoneSummary> {
  const { search, index, epochs } = options;
  const seen = Math.floor((await search.highestVersion(index)) / EPOCH_STRIDE);
  const epoch = await epochs.raiseAbove(seen);
  await options.deletions.sweep();
  const { repository } = options;
  const orphans: OrphanSweepSummary = await removeOrphanDocuments({ repository, search, index });
  const summary = await reconcile(options);
  return { ...summary, epoch, orphans: orphans.orphans };
}
