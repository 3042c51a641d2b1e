// The query side of search alone, for `minato search`, which must start fast: no buffer, projector, reindex or
// PostgreSQL client behind it (the search folder's own index brings all of those).
export { createSearchClient, searchClientOptions, type SearchClient } from '../search-client.js';
export { checkSearchPrivileges } from '../search-privileges.js';
export { searchTorrents, type SearchHit, type WorkGroup } from '../search-torrents.js';
