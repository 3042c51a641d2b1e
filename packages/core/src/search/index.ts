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
export {
  checkSearchPrivileges,
  missingPrivileges,
  type CheckSearchPrivilegesOptions,
  type HasPrivilegesAnswer,
} from './search-privileges.js';
export { reindex, type ReindexOptions, type ReindexResult } from './reindex.js';
export {
  searchTorrents,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
  type WorkGroup,
} from './search-torrents.js';
export { parseSearchQuery, type SearchQuery } from './query-parser.js';
export { workKey, type WorkKeyFields } from './work-key.js';
export { TorrentProjector, type Projection } from './torrent-projector.js';
