import { Client } from '@elastic/elasticsearch';
import { searchConnection, type SearchClientOptions } from './search-client-options.js';

export type { Client as SearchClient } from '@elastic/elasticsearch';
export { searchClientOptions, type SearchClientOptions } from './search-client-options.js';

/**
 * An Elasticsearch client for `ELASTICSEARCH_NODE`, authenticated by `ELASTICSEARCH_API_KEY` when set and
 * trusting `ELASTICSEARCH_CA_FILE` when set.
 */
export function createSearchClient(options: SearchClientOptions): Client {
  const { url, auth, ca, requestTimeoutMs } = searchConnection(options);
  return new Client({
    node: url.href,
    ...(auth ? { auth } : {}),
    ...(ca ? { tls: { ca } } : {}),
    requestTimeout: requestTimeoutMs,
    maxRetries: 2,
  });
}
