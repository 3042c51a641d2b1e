import { errors, type Client } from '@elastic/elasticsearch';
import { SearchAuthError } from '../errors.js';

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
    if (error instanceof errors.ResponseError && (error.statusCode === 401 || error.statusCode === 403)) {
      const type =
        (error.body as { error?: { type?: string } } | undefined)?.error?.type ?? 'security_exception';
      throw new SearchAuthError(
        `Elasticsearch at ${node} refused the credentials (HTTP ${error.statusCode} ${type}): check ELASTICSEARCH_API_KEY`,
        { node, status: error.statusCode },
        { cause: error },
      );
    }
    throw error;
  }
}
