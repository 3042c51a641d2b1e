import { Client, errors, SniffingTransport, type TransportRequestParams } from '@elastic/elasticsearch';
import type { EngineAnswer, EngineRequest, EngineTransport } from './engine-transport.js';
import type { SearchConnection } from './search-client-options.js';
import { engineFailure } from './search-failures.js';

/**
 * The 9.x client asks for `compatible-with=9`, which an 8.x server refuses; both 8.x and 9.x servers serve
 * `compatible-with=8` for the calls Minato makes, so an 8.x cluster gets the same client with these headers.
 */
function compatibleWith(major: number): typeof SniffingTransport {
  return class extends SniffingTransport {
    constructor(options: ConstructorParameters<typeof SniffingTransport>[0]) {
      super({
        ...options,
        vendoredHeaders: {
          jsonContentType: `application/vnd.elasticsearch+json; compatible-with=${major}`,
          ndjsonContentType: `application/vnd.elasticsearch+x-ndjson; compatible-with=${major}`,
          accept: `application/vnd.elasticsearch+json; compatible-with=${major},text/plain`,
        },
      });
    }
  };
}

/** `@elastic/elasticsearch` for the nodes of `connection`, speaking the REST API of Elasticsearch `major`. */
export function elasticsearchTransport(
  node: string,
  connection: SearchConnection,
  major: number,
): EngineTransport {
  const { urls, auth, ca, requestTimeoutMs } = connection;
  const client = new Client({
    nodes: urls.map((u) => u.href),
    ...(auth ? { auth } : {}),
    ...(ca ? { tls: { ca } } : {}),
    requestTimeout: requestTimeoutMs,
    maxRetries: 2,
    ...(major < 9 ? { Transport: compatibleWith(major) } : {}),
  });
  return {
    engine: 'elasticsearch',
    async request<T>({ ignore, maxRetries, ...params }: EngineRequest): Promise<EngineAnswer<T>> {
      try {
        const answer = await client.transport.request<T>(params as TransportRequestParams, {
          meta: true,
          ...(ignore ? { ignore } : {}),
          ...(maxRetries === undefined ? {} : { maxRetries }),
        });
        return { status: answer.statusCode ?? 200, body: answer.body };
      } catch (error) {
        const answer =
          error instanceof errors.ResponseError
            ? { status: error.statusCode, body: error.body as unknown }
            : null;
        throw engineFailure('elasticsearch', node, params.path, answer, error);
      }
    },
    close: () => client.close(),
  };
}
