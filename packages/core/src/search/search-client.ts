import { readFileSync } from 'node:fs';
import { Client } from '@elastic/elasticsearch';
import type { Config } from '../config/config.js';

export type { Client as SearchClient } from '@elastic/elasticsearch';

export interface SearchClientOptions {
  node: string;
  /** an Elasticsearch API key (the base64 `encoded` form) */
  apiKey?: string | undefined;
  /** PEM file of the CA to trust for an https:// node (a self-signed or private CA) */
  caFile?: string | undefined;
  requestTimeoutMs?: number;
}

/** The Elasticsearch client settings of the config (ELASTICSEARCH_*). */
export function searchClientOptions(config: Config): SearchClientOptions {
  return {
    node: config.ELASTICSEARCH_NODE,
    apiKey: config.ELASTICSEARCH_API_KEY,
    caFile: config.ELASTICSEARCH_CA_FILE,
  };
}

/**
 * An Elasticsearch client for `ELASTICSEARCH_NODE`, authenticated by `ELASTICSEARCH_API_KEY` when set and
 * trusting `ELASTICSEARCH_CA_FILE` (on top of the system CAs) when set.
 */
export function createSearchClient({
  node,
  apiKey,
  caFile,
  requestTimeoutMs = 30_000,
}: SearchClientOptions): Client {
  return new Client({
    node,
    ...(apiKey ? { auth: { apiKey } } : {}),
    ...(caFile ? { tls: { ca: readFileSync(caFile) } } : {}),
    requestTimeout: requestTimeoutMs,
    maxRetries: 2,
  });
}
