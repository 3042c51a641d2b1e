import { Client } from '@elastic/elasticsearch';

export type { Client as SearchClient } from '@elastic/elasticsearch';

export interface SearchClientOptions {
  node: string;
  /** an Elasticsearch API key (the base64 `encoded` form) */
  apiKey?: string | undefined;
  requestTimeoutMs?: number;
}

/** An Elasticsearch client for `ELASTICSEARCH_NODE`, authenticated by `ELASTICSEARCH_API_KEY` when set. */
export function createSearchClient({ node, apiKey, requestTimeoutMs = 30_000 }: SearchClientOptions): Client {
  return new Client({
    node,
    ...(apiKey ? { auth: { apiKey } } : {}),
    requestTimeout: requestTimeoutMs,
    maxRetries: 2,
  });
}
