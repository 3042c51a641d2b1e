import { detectEngine, majorVersion } from './engine-detection.js';
import { elasticsearchTransport } from './elasticsearch-transport.js';
import { openSearchClient, openSearchTransport } from './opensearch-transport.js';
import { RestEngine } from './rest-engine.js';
import { searchConnection, type SearchClientOptions } from './search-client-options.js';
import type { SearchEngine } from './search-engine.js';

export { searchClientOptions, type SearchClientOptions } from './search-client-options.js';

/**
 * The search engine at SEARCH_NODES (or ELASTICSEARCH_NODE), authenticated by ELASTICSEARCH_API_KEY or the
 * node URL's user and password, trusting ELASTICSEARCH_CA_FILE when set. Which engine and version it is (so which
 * client speaks to it) is found out on first use, unless SEARCH_ENGINE says which engine.
 */
export function createSearchEngine(options: SearchClientOptions): SearchEngine {
  const connection = searchConnection(options);
  const { node } = options;
  return new RestEngine(node, async () => {
    const info = await detectEngine(node, connection, options.engine);
    const transport =
      info.engine === 'opensearch'
        ? openSearchTransport(node, openSearchClient(connection))
        : elasticsearchTransport(node, connection, majorVersion(info.version));
    return { transport, info };
  });
}
