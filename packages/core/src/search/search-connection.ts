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
    throw searchAuthError(error, node) ?? error;
  }
}

/** A 401/403 from Elasticsearch as a SearchAuthError naming the variable to fix; null for any other error. */
export function searchAuthError(
  error: unknown,
  node: string,
  credential = 'ELASTICSEARCH_API_KEY',
): SearchAuthError | null {
  if (!(error instanceof errors.ResponseError) || (error.statusCode !== 401 && error.statusCode !== 403)) {
    return null;
  }
  const body = (error.body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  const type = body?.type ?? 'security_exception';
  // The origin only: a node URL may carry user:password.
  const where = URL.canParse(node) ? new URL(node).origin : 'ELASTICSEARCH_NODE';
  const message =
    error.statusCode === 401
      ? `Elasticsearch at ${where} refused the credentials (HTTP 401 ${type}): check ${credential}`
      : // A 403 authenticated the key: Elasticsearch's reason names the action refused and the privileges granting it.
        `Elasticsearch at ${where} refused the request (HTTP 403 ${type}: ${(body?.reason ?? 'forbidden').slice(0, 300)}): check the privileges of ${credential}`;
  return new SearchAuthError(message, { node: where, status: error.statusCode }, { cause: error });
}
