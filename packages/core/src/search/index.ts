export {
  createSearchEngine,
  searchClientOptions,
  type SearchClientOptions,
} from './engines/create-search-engine.js';
export type {
  SearchEngine,
  VersionedDocument,
  BulkAnswer,
  BulkItemAnswer,
  StoredVersion,
  EngineInfo,
  HealthStatus,
  IndexTemplate,
  SearchRequest,
} from './engines/search-engine.js';
export type { EngineTransport, EngineRequest, EngineAnswer } from './engines/engine-transport.js';
export { detectEngine } from './engines/engine-detection.js';
export { ENGINE_LABEL } from './engines/search-failures.js';
export {
  ensureIndex,
  putIndexTemplate,
  indexPattern,
  templateName,
  concreteIndexName,
  TEMPLATE_VERSION,
} from './indexing/index-template.js';
export {
  buildTorrentDocument,
  TMDB_IMAGE_BASE_URL,
  type TorrentDocument,
  type ReleaseFields,
} from './indexing/torrent-document.js';
export {
  ElasticsearchBuffer,
  type ElasticsearchBufferOptions,
  type BufferedDocument,
  type Lane,
  type WriteOutcome,
} from './indexing/es-buffer.js';
export { checkSearchConnection, type SearchServerInfo } from './engines/search-connection.js';
export {
  requiredPrivileges,
  privilegedIndexNames,
  type SearchRole,
  type SearchPrivileges,
} from './engines/required-privileges.js';
export { openSearchRole, type OpenSearchRole } from './engines/opensearch-permissions.js';
export { checkSearchPrivileges, type CheckSearchPrivilegesOptions } from './engines/search-privileges.js';
export {
  verifySearchPrivileges,
  missingPrivileges,
  type HasPrivilegesAnswer,
  type HasPrivilegesRequest,
  type PrivilegesClient,
  type VerifySearchPrivilegesOptions,
} from './engines/privilege-check.js';
export {
  searchConnection,
  nodeList,
  type EngineName,
  type SearchAuth,
  type SearchConnection,
} from './engines/search-client-options.js';
export { createQueryClient, type QueryClient } from './querying/query-client.js';
export { reindex, type ReindexOptions, type ReindexResult } from './indexing/reindex.js';
export {
  searchTorrents,
  type SearchHit,
  type SearchCaller,
  type SearchOptions,
  type SearchResult,
  type WorkGroup,
} from './querying/search-torrents.js';
export { parseSearchQuery, type SearchQuery } from './querying/query-parser.js';
export { workKey, type WorkKeyFields } from './indexing/work-key.js';
export { TorrentProjector, type Projection, type RowReview } from './indexing/torrent-projector.js';
export { workName } from './querying/work-name.js';
export { deleteDocuments, type DocumentDeletion, type DeletionOutcome } from './indexing/deletion-writer.js';
