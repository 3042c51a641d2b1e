import { readFileSync } from 'node:fs';
import type { Config } from '../../config/config.js';

// Every search client (the engine's full client of the workers, the query side's own one of `minato search`, the
// probe that tells the engine) takes its connection from here, so that they cannot disagree on which nodes,
// credentials or CA a config means.

/** The engines Minato speaks to (docs/search-engines.md). */
export type EngineName = 'elasticsearch' | 'opensearch';

export interface SearchClientOptions {
  /**
   * SEARCH_NODES or ELASTICSEARCH_NODE: one node URL or several separated by commas; `user:password@` in the
   * first that has one authenticates when no API key is set
   */
  node: string;
  /** SEARCH_ENGINE: unset, the first node that answers tells which engine it runs */
  engine?: EngineName | undefined;
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
  /** the first node's URL without its credentials (a path after the port is a prefix of every request) */
  url: URL;
  /** every node's URL without its credentials, the first one first */
  urls: URL[];
  auth: SearchAuth | undefined;
  /** the PEM of ELASTICSEARCH_CA_FILE */
  ca: Buffer | undefined;
  requestTimeoutMs: number;
}

/** The search client settings of the config (SEARCH_NODES or ELASTICSEARCH_NODE, SEARCH_ENGINE, ELASTICSEARCH_*). */
export function searchClientOptions(
  config: Pick<
    Config,
    | 'SEARCH_NODES'
    | 'ELASTICSEARCH_NODE'
    | 'SEARCH_ENGINE'
    | 'ELASTICSEARCH_API_KEY'
    | 'ELASTICSEARCH_CA_FILE'
  >,
): SearchClientOptions {
  return {
    node: config.SEARCH_NODES ?? config.ELASTICSEARCH_NODE,
    engine: config.SEARCH_ENGINE,
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
  const urls = nodeList(node).map((n) => new URL(n));
  const { username, password } = urls.find((u) => u.username !== '') ?? { username: '', password: '' };
  for (const u of urls) {
    u.username = '';
    u.password = '';
  }
  const [url = new URL(node)] = urls;
  const auth: SearchAuth | undefined = apiKey
    ? { apiKey }
    : username !== '' && password !== ''
      ? { username: decodeURIComponent(username), password: decodeURIComponent(password) }
      : undefined;
  return { url, urls, auth, ca: caFile ? readFileSync(caFile) : undefined, requestTimeoutMs };
}

/** The node URLs of a SEARCH_NODES or ELASTICSEARCH_NODE value, in order. */
export function nodeList(node: string): string[] {
  return node
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}
