import type { TorrentRepository } from '../db/torrent-repository.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { deleteDocuments } from '../search/indexing/deletion-writer.js';

export interface OrphanSweepOptions {
  repository: Pick<TorrentRepository, 'existing'>;
  search: SearchEngine;
  index: string;
  /** only counts: nothing is deleted */
  dryRun?: boolean;
  pageSize?: number;
  /** called after each page with the running totals */
  onPage?: (progress: OrphanSweepSummary) => void;
}

export interface OrphanSweepSummary {
  /** documents read */
  documents: number;
  /** documents whose row PostgreSQL does not have: removed, or counted by a dry run */
  orphans: number;
}

/**
 * The other half of the full comparison (`minato backfill --full`): every document's id, page by page in
 * info-hash order (`search_after`), looked up in PostgreSQL, and the documents with no row removed. It finds
 * what no deletion record covers: rows deleted before the record existed, a TRUNCATE, a restore from a backup
 * older than the index. Each is deleted at an external version above the one it holds, so a write of the old
 * row still in flight cannot bring it back. A document written after its page was read is not seen, and needs
 * not be: its row existed when it was written.
 */
export async function removeOrphanDocuments(options: OrphanSweepOptions): Promise<OrphanSweepSummary> {
  const { repository, search, index, dryRun = false, pageSize = 1_000 } = options;
  const summary: OrphanSweepSummary = { documents: 0, orphans: 0 };
  if (!(await search.indexExists(index))) return summary;
  let after: string | undefined;
  do {
    const page = await search.documentVersions(index, pageSize, after);
    after = page.after;
    const rows = await repository.existing(page.documents.map((doc) => doc.id));
    const orphans = page.documents.filter((doc) => !rows.has(doc.id));
    if (!dryRun) {
      await deleteDocuments(
        search,
        index,
        orphans.map((doc) => ({ id: doc.id, version: doc.version + 1 })),
      );
    }
    summary.documents += page.documents.length;
    summary.orphans += orphans.length;
    if (page.documents.length > 0) options.onPage?.({ ...summary });
  } while (after !== undefined);
  return summary;
}
