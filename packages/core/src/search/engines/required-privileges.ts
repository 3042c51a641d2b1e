import { indexPattern } from '../indexing/index-template.js';

/** The processes that talk to Elasticsearch: the three workers and the CLI commands that touch the index. */
export type SearchRole =
  'ingest-worker' | 'enrichment-worker' | 'sync-worker' | 'reindex' | 'backfill' | 'status' | 'search';

export interface SearchPrivileges {
  /** cluster privileges */
  cluster: readonly string[];
  /** index privileges, needed on both the alias and its concrete indexes (`privilegedIndexNames`) */
  index: readonly string[];
}

// `monitor` is for /readyz's cluster health. `indices:admin/aliases` is the one action of `manage` that
// creating the first index with its alias (and reindex's swap) needs: no narrower named privilege grants it,
// and `manage` would also grant deleting indexes. The README's Security table is this list.
const writer = {
  cluster: ['monitor', 'manage_index_templates'],
  index: ['create_index', 'indices:admin/aliases', 'view_index_metadata', 'index'],
} as const;

/** The least privileges each role needs, checked at start-up and documented in the README. */
export const requiredPrivileges: Record<SearchRole, SearchPrivileges> = {
  'ingest-worker': writer,
  'enrichment-worker': { cluster: ['monitor'], index: [] },
  // The reconciler reads which documents exist (mget); the deletion sweep removes the documents of deleted rows.
  'sync-worker': { cluster: writer.cluster, index: [...writer.index, 'read', 'delete'] },
  reindex: {
    cluster: ['manage_index_templates'],
    index: [...writer.index, 'read', 'maintenance', 'delete_index'],
  },
  // The reconciler run by hand (and `minato restore-done`): which documents exist, at which version, and
  // removing those of deleted rows and those with no row.
  backfill: { cluster: [], index: ['view_index_metadata', 'read', 'delete'] },
  status: { cluster: [], index: ['view_index_metadata', 'maintenance', 'read'] },
  search: { cluster: [], index: ['read'] },
};

/** The names index privileges are granted on: the alias and the pattern of its concrete indexes. */
export function privilegedIndexNames(alias: string): string[] {
  return [alias, indexPattern(alias)];
}
