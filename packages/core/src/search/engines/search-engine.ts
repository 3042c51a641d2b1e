import type { estypes } from '@elastic/elasticsearch';
import type { PrivilegesClient } from './privilege-check.js';
import type { EngineName } from './search-client-options.js';

/** A document to write with the row version the engine compares (external versioning). */
export interface VersionedDocument {
  id: string;
  version: number;
  body: object;
}

/** One item of a `_bulk` answer: its status, and the error the engine gave for it. */
export interface BulkItemAnswer {
  status: number;
  error?: { type: string; reason: string };
}

export interface BulkAnswer {
  took: number;
  /** one per document, in the order written */
  items: BulkItemAnswer[];
}

/** What `_mget` found for one id: the version stored, or why it could not read it (a shard not started). */
export type StoredVersion =
  { id: string; found: true; version: number } | { id: string; found: false } | { id: string; error: string };

/** A document's id and the external version it is stored at (or is to be deleted at). */
export interface DocumentVersion {
  id: string;
  version: number;
}

/** One page of a walk over every document, in info-hash order; `after` continues it, undefined on the last page. */
export interface DocumentPage {
  documents: DocumentVersion[];
  after: string | undefined;
}

/** Who answered: which engine, its version and its cluster's name. */
export interface EngineInfo {
  engine: EngineName;
  version: string;
  clusterName: string;
}

export type HealthStatus = 'green' | 'yellow' | 'red';

/** The body of a search: the index, and the body fields search-request.ts and the walks over the index use. */
export type SearchRequest = Pick<
  estypes.SearchRequest,
  'from' | 'size' | 'query' | '_source' | 'collapse' | 'version' | 'sort' | 'search_after' | 'aggs'
> & {
  index: string;
};

/** The index template's body, the same on both engines (`_index_template`). */
export interface IndexTemplate {
  index_patterns: string[];
  version: number;
  priority: number;
  template: { settings: Record<string, unknown>; mappings: object };
  _meta: Record<string, unknown>;
}

/**
 * Everything Minato asks of a search engine, one method a use, so that nothing above `search/engines` knows which
 * engine it talks to (docs/search-engines.md). Errors: SearchAuthError for a refusal (401/403),
 * SearchUnavailableError when no node answers, SearchResponseError for any other error answer.
 */
export interface SearchEngine extends PrivilegesClient {
  /** SEARCH_NODES or ELASTICSEARCH_NODE, for messages */
  readonly node: string;
  /** the engine, its version and the cluster's name: asked once, on first use */
  info(): Promise<EngineInfo>;

  /** `_bulk` index operations under external versioning: a 409 item means the engine holds this version or newer */
  bulkIndex(index: string, documents: readonly VersionedDocument[]): Promise<BulkAnswer>;
  /**
   * `_bulk` delete operations under external versioning, items in the order given: 200 deleted, 404 absent (the
   * engine keeps the version as a tombstone all the same), 409 the engine holds this version or newer
   */
  bulkDelete(index: string, documents: readonly DocumentVersion[]): Promise<BulkAnswer>;
  /** `_mget` without sources: the version each id is stored at */
  storedVersions(index: string, ids: readonly string[]): Promise<StoredVersion[]>;
  /** `_mget` with sources: each found document's source, by id */
  documents<T>(index: string, ids: readonly string[]): Promise<Map<string, T>>;
  search<TDocument>(request: SearchRequest): Promise<estypes.SearchResponse<TDocument>>;
  /** up to `size` documents' ids and versions after the cursor `after` (search_after on `info_hash`) */
  documentVersions(index: string, size: number, after?: string): Promise<DocumentPage>;
  /** the highest `version` field of the documents in `index`: 0 for none, or no such index */
  highestVersion(index: string): Promise<number>;
  count(index: string, query?: estypes.QueryDslQueryContainer): Promise<number>;
  refresh(index: string): Promise<void>;

  indexExists(index: string): Promise<boolean>;
  aliasExists(alias: string): Promise<boolean>;
  /** the concrete indexes behind `alias` */
  indexesOf(alias: string): Promise<string[]>;
  /** creates `index`, as the write index of `writeAliasOf` when given; false when it already existed */
  createIndex(index: string, writeAliasOf?: string): Promise<boolean>;
  deleteIndexes(indexes: readonly string[]): Promise<void>;
  /** moves `alias` from the indexes `from` to `to` (its write index) in one atomic `_aliases` call */
  swapAlias(alias: string, from: readonly string[], to: string): Promise<void>;
  putIndexTemplate(name: string, template: IndexTemplate): Promise<void>;
  /** the fields mapped in each index behind `alias` */
  mappedFields(alias: string): Promise<Record<string, string[]>>;
  /** adds fields to the mappings of `indexes` (existing fields are left as they are) */
  addFields(indexes: readonly string[], properties: object): Promise<void>;
  /** the write blocks set on each index behind `alias` (`index.blocks.write`, ...), by index */
  writeBlocks(alias: string): Promise<Record<string, string[]>>;
  /** the health of `index` (its shards only; green when there is no such index), answered within `timeoutMs` */
  health(index: string, timeoutMs?: number): Promise<HealthStatus>;

  close(): Promise<void>;
}
