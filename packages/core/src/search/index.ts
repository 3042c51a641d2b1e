export {
  createSearchClient,
  searchClientOptions,
  type SearchClient,
  type SearchClientOptions,
} from './search-client.js';
export {
  ensureIndex,
  putIndexTemplate,
  indexPattern,
  templateName,
  concreteIndexName,
  TEMPLATE_VERSION,
} from './index-template.js';
export {
  buildTorrentDocument,
  TMDB_IMAGE_BASE_URL,
  type TorrentDocument,
  type ReleaseFields,
} from './torrent-document.js';
export {
  ElasticsearchBuffer,
  type ElasticsearchBufferOptions,
  type BufferedDocument,
  type Lane,
  type WriteOutcome,
} from './es-buffer.js';
export { checkSearchConnection, searchAuthError, type SearchServerInfo } from './search-connection.js';
export {
  requiredPrivileges,
  privilegedIndexNames,
  type SearchRole,
  type SearchPrivileges,
} from './required-privileges.js';
export { checkSearchPrivileges, type CheckSearchPrivilegesOptions } from './search-privileges.js';
export {
  verifySearchPrivileges,
  missingPrivileges,
  type HasPrivilegesAnswer,
  type HasPrivilegesRequest,
  type PrivilegesClient,
  type VerifySearchPrivilegesOptions,
} from './privilege-check.js';
export { searchConnection, type SearchAuth, type SearchConnection } from './search-client-options.js';
export { createQueryClient, type QueryClient } from './query/query-client.js';
export { reindex, type ReindexOptions, type ReindexResult } from './reindex.js';
export {
  searchTorrents,
  type SearchHit,
  type SearchCaller,
  type SearchOptions,
  type SearchRequest,
  type SearchResult,
  type WorkGroup,
} from './search-torrents.js';
export { parseSearchQuery, type SearchQuery } from './query-parser.js';
export { workKey, type WorkKeyFields } from './work-key.js';
export { TorrentProjector, type Projection, type RowReview } from './torrent-projector.js';
export { deleteDocuments, type DocumentDeletion, type DeletionOutcome } from './deletion-writer.js';
export { workName } from './work-name.js';
