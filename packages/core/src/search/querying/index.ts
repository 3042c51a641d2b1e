// The query side of search alone, for `minato search`, which must start fast: no buffer, projector, reindex or
// PostgreSQL client behind it (the search folder's own index brings all of those), and not the full
// Elasticsearch client either (see query-client.ts). Nothing here may import `@elastic/elasticsearch` but types.
export { createQueryClient, type QueryClient } from './query-client.js';
export { searchClientOptions } from '../engines/search-client-options.js';
export { verifySearchPrivileges } from '../engines/privilege-check.js';
export { searchTorrents, type SearchHit, type WorkGroup } from './search-torrents.js';
export { workName } from './work-name.js';
