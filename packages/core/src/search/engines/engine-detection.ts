import { errors } from '@opensearch-project/opensearch';
import type { EngineInfo } from './search-engine.js';
import { openSearchClient } from './opensearch-transport.js';
import type { EngineName, SearchConnection } from './search-client-options.js';
import { engineFailure } from './search-failures.js';

// Every Elasticsearch since 7.14 sends this header on every answer (its clients' product check reads it); no
// OpenSearch does. Read from `_nodes/_local`, which both engines serve, also in their integ-test-zip, where
// Elasticsearch has no `GET /` (module rest-root).
const PRODUCT_HEADER = 'x-elastic-product';

/**
 * Asks the first node that answers which engine it runs (unless `engine` says it) and its version, through the
 * OpenSearch client: it sends plain JSON, which both engines read, and checks no product.
 */
export async function detectEngine(
  node: string,
  connection: SearchConnection,
  engine?: EngineName,
): Promise<EngineInfo> {
  const client = openSearchClient(connection);
  const path = '/_nodes/_local';
  try {
    const answer = await client.transport.request({
      method: 'GET',
      path,
      querystring: { filter_path: 'cluster_name,nodes.*.version' },
    });
    const body = answer.body as { cluster_name?: string; nodes?: Record<string, { version?: string }> };
    const product = (answer.headers as Record<string, string | undefined> | null)?.[PRODUCT_HEADER];
    return {
      engine: engine ?? (product === 'Elasticsearch' ? 'elasticsearch' : 'opensearch'),
      version: Object.values(body.nodes ?? {})[0]?.version ?? 'unknown',
      clusterName: body.cluster_name ?? 'unknown',
    };
  } catch (error) {
    // A key without `monitor` (minato backfill's, status's) is refused the version, not the engine, and Elasticsearch
    // sends no product header on a security refusal: `_security/_authenticate`, which any valid key may call, answers
    // on Elasticsearch only. The version stays unknown (majorVersion reads it as the one both majors serve).
    if (error instanceof errors.ResponseError && error.statusCode === 403) {
      const authenticate = await client.transport.request(
        { method: 'GET', path: '/_security/_authenticate' },
        { ignore: [400, 403, 404, 405] },
      );
      return {
        engine: engine ?? (authenticate.statusCode === 200 ? 'elasticsearch' : 'opensearch'),
        version: 'unknown',
        clusterName: 'unknown',
      };
    }
    const answer =
      error instanceof errors.ResponseError ? { status: error.statusCode, body: error.body } : null;
    throw engineFailure(engine ?? 'elasticsearch', node, path, answer, error);
  } finally {
    await client.close();
  }
}

/**
 * The major version of a version string such as `8.19.6`; 8 when it cannot be read: Elasticsearch 9 serves the
 * `compatible-with=8` requests as well as 8 does, while 8 refuses the 9.x client's own.
 */
export function majorVersion(version: string): number {
  const major = Number.parseInt(version, 10);
  return Number.isFinite(major) ? major : 8;
}
