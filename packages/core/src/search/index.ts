export { createSearchClient, type SearchClient, type SearchClientOptions } from './search-client.js';
export {
  ensureIndex,
  putIndexTemplate,
  indexPattern,
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
  type WriteOutcome,
} from './es-buffer.js';
export { checkSearchConnection, type SearchServerInfo } from './search-connection.js';
export { reindex, type ReindexOptions, type ReindexResult } from './reindex.js';
export { searchTorrents, type SearchHit } from './search-torrents.js';
export { TorrentProjector, type Projection } from './torrent-projector.js';
