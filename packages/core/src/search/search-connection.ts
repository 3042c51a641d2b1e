import { errors, type Client } from '@elastic/elasticsearch';
import type { SearchAuthError } from '../errors.js';
import { refusedCredentials } from './search-failures.js';

export interface SearchServerInfo {
  version: string;
  clusterName: string;
}

/**
 * Asks the cluster who it is (through `_nodes/_local`: the integ-test-zip distribution has no `rest-root`
 * module, so `GET /`, the client's `info()` and `ping()`, answer 405 there); a refused key becomes a SearchAuthError that says which variable to fix,
 * instead of the client's generic ResponseError.
 */
export async function checkSearchConnection(client: Client, node: string): Promise<SearchServerInfo> {
  try {
    const info = await client.nodes.info({
      node_id: '_local',
      filter_path: ['cluster_name', 'nodes.*.version'],
    });
    const version = Object.values(info.nodes)[0]?.version ?? 'unknown';
    return { version, clusterName: info.cluster_name };
  } catch (error) {
    throw searchAuthError(error, node) ?? error;
  }
}

/** A 401/403 from Elasticsearch as a SearchAuthError naming the variable to fix; null for any other error. */
export function searchAuthError(
  error: unknown,
  node: string,
  credential = 'ELASTICSEARCH_API_KEY',
): SearchAuthError | null {
  if (!(error instanceof errors.ResponseError)) return null;
  return refusedCredentials({ status: error.statusCode, body: error.body }, node, credential, error);
}
