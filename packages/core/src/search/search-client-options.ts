import { readFileSync } from 'node:fs';
import type { Config } from '../config/config.js';

// Both Elasticsearch clients (the full one of the workers, the query side's own one of `minato search`) take
// their connection from here, so that the two cannot disagree on which credentials or CA a config means.

export interface SearchClientOptions {
  /** ELASTICSEARCH_NODE; `user:password@` in it authenticates when no API key is set */
  node: string;
  /** an Elasticsearch API key (the base64 `encoded` form) */
  apiKey?: string | undefined;
  /** PEM file of the CA to trust for an https:// node (a self-signed or private CA) */
  caFile?: string | undefined;
  requestTimeoutMs?: number;
}

/** How a client authenticates: the API key, or else the user and password of the node URL. */
export type SearchAuth = { apiKey: string } | { username: string; password: string };

/** What a client connects with, read once from SearchClientOptions. */
export interface SearchConnection {
  /** the node URL without its credentials (a path after the port is a prefix of every request) */
  url: URL;
  auth: SearchAuth | undefined;
  /** the PEM of ELASTICSEARCH_CA_FILE */
  ca: Buffer | undefined;
  requestTimeoutMs: number;
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
 * The connection `options` describe: the API key wins over credentials in the node URL, as in
 * `@elastic/transport`, which both clients must match.
 */
export function searchConnection({
  node,
  apiKey,
  caFile,
  requestTimeoutMs = 30_000,
}: SearchClientOptions): SearchConnection {
  const url = new URL(node);
  const { username, password } = url;
  url.username = '';
  url.password = '';
  const auth: SearchAuth | undefined = apiKey
    ? { apiKey }
    : username !== '' && password !== ''
      ? { username: decodeURIComponent(username), password: decodeURIComponent(password) }
      : undefined;
  return { url, auth, ca: caFile ? readFileSync(caFile) : undefined, requestTimeoutMs };
}
