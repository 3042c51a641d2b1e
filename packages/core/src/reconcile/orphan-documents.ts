import type { Client } from '@elastic/elasticsearch';
import type { TorrentRepository } from '../db/torrent-repository.js';
import { deleteDocuments } from '../search/deletion-writer.js';

export interface OrphanSweepOptions {
  repository: Pick<TorrentRepository, 'existing'>;
  search: Client;
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
  if (!(await search.indices.exists({ index }))) return summary;
  let after: string[] | undefined;
  for (;;) {
    const { hits } = await search.search({
      index,
      size: pageSize,
      _source: false,
      version: true,
      sort: [{ info_hash: 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    const page = hits.hits.filter((hit): hit is typeof hit & { _id: string } => hit._id !== undefined);
    if (page.length === 0) break;
    after = page.at(-1)?.sort as string[] | undefined;
    const rows = await repository.existing(page.map((hit) => hit._id));
    const orphans = page.filter((hit) => !rows.has(hit._id));
    if (!dryRun) {
      await deleteDocuments(
        search,
        index,
        orphans.map((hit) => ({ id: hit._id, version: (hit._version ?? 0) + 1 })),
      );
    }
    summary.documents += page.length;
    summary.orphans += orphans.length;
    options.onPage?.({ ...summary });
    if (page.length < pageSize) break;
  }
  return summary;
}
