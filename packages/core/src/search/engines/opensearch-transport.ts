import { Client, errors, type Transport } from '@opensearch-project/opensearch';
import type { EngineAnswer, EngineRequest, EngineTransport } from './engine-transport.js';
import type { SearchConnection } from './search-client-options.js';
import { engineFailure } from './search-failures.js';

/**
 * `@opensearch-project/opensearch` for the nodes of `connection`. OpenSearch has no API keys: an
 * ELASTICSEARCH_API_KEY is sent as the `ApiKey` authorization header all the same (Elasticsearch answers the
 * engine probe through this client too, before the engine is known).
 */
export function openSearchClient(connection: SearchConnection): Client {
  const { urls, auth, ca, requestTimeoutMs } = connection;
  return new Client({
    nodes: urls.map((u) => u.href),
    ...(auth && 'username' in auth ? { auth } : {}),
    ...(auth && 'apiKey' in auth ? { headers: { authorization: `ApiKey ${auth.apiKey}` } } : {}),
    ...(ca ? { ssl: { ca } } : {}),
    requestTimeout: requestTimeoutMs,
    maxRetries: 2,
  });
}

/** The OpenSearch client as an EngineTransport. */
export function openSearchTransport(node: string, client: Client): EngineTransport {
  return {
    engine: 'opensearch',
    async request<T>({ ignore, maxRetries, ...params }: EngineRequest): Promise<EngineAnswer<T>> {
      try {
        const answer = await client.transport.request(params as Parameters<Transport['request']>[0], {
          ...(ignore ? { ignore } : {}),
          ...(maxRetries === undefined ? {} : { maxRetries }),
        });
        return { status: answer.statusCode ?? 200, body: answer.body as T };
      } catch (error) {
        const answer =
          error instanceof errors.ResponseError ? { status: error.statusCode, body: error.body } : null;
        throw engineFailure('opensearch', node, params.path, answer, error);
      }
    },
    close: () => client.close(),
  };
}
