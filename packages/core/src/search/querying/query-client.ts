import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { estypes } from '@elastic/elasticsearch';
import { DependencyUnavailableError, SearchResponseError, SearchUnavailableError } from '../../errors.js';
import type {
  HasPrivilegesAnswer,
  HasPrivilegesRequest,
  PrivilegesClient,
} from '../engines/privilege-check.js';
import {
  searchConnection,
  type SearchClientOptions,
  type SearchConnection,
} from '../engines/search-client-options.js';
import {
  isSecurityOff,
  refusedCredentials,
  unreachableNode,
  type ErrorAnswer,
} from '../engines/search-failures.js';
import type { SearchRequest } from '../engines/search-engine.js';
import type { SearchCaller } from './search-torrents.js';

// The full client (undici, its transport and their telemetry) takes about a quarter of a second to import,
// half of what `minato search` may take end to end: the query side makes two calls, and node:http makes them.

// 502/503/504 are retried at once, as the full client does; a refused connection is not (the full client
// waits 1 to 6 s for it): the person at the terminal learns at once that the node is not there.
const RETRIED_STATUSES = new Set([502, 503, 504]);
const MAX_RETRIES = 2;

interface Answer extends ErrorAnswer {
  status: number;
}

/** The calls of the query side (search, the privilege check) over node:http, with the full client's options. */
export class QueryClient implements SearchCaller, PrivilegesClient {
  private readonly node: string;
  private readonly connection: SearchConnection;
  private readonly agent: HttpAgent;
  private readonly headers: Record<string, string>;

  constructor(options: SearchClientOptions) {
    this.node = options.node;
    this.connection = searchConnection(options);
    const { url, auth, ca } = this.connection;
    this.agent =
      url.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, ca })
        : new HttpAgent({ keepAlive: true });
    this.headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (auth) {
      this.headers.authorization =
        'apiKey' in auth
          ? `ApiKey ${auth.apiKey}`
          : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    }
  }

  /** `POST <index>/_search`: every other field of the request is its body. */
  async search<TDocument>({ index, ...body }: SearchRequest): Promise<estypes.SearchResponse<TDocument>> {
    const path = `/${encodeURIComponent(index)}/_search`;
    return this.ok(path, await this.call('POST', path, body));
  }

  /** `POST _security/user/_has_privileges`; null from a cluster without security (it has no such API). */
  async hasPrivileges(request: HasPrivilegesRequest): Promise<HasPrivilegesAnswer | null> {
    const path = '/_security/user/_has_privileges';
    const answer = await this.call('POST', path, request);
    return isSecurityOff(answer) ? null : this.ok(path, answer);
  }

  /** Closes the kept-alive connections. */
  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }

  private ok<T>(path: string, answer: Answer): T {
    if (answer.status < 300) return answer.body as T;
    const refused = refusedCredentials(answer, this.node, 'ELASTICSEARCH_API_KEY', answer.body);
    if (refused) throw refused;
    const error = (answer.body as { error?: { type?: string; reason?: string; index?: string } } | undefined)
      ?.error;
    if (answer.status === 404 && error?.type === 'index_not_found_exception') {
      throw new DependencyUnavailableError(
        'elasticsearch',
        this.connection.url.origin,
        `has no index or alias "${error.index ?? path}"`,
        'start a worker (it creates the index) or run `minato reindex`',
      );
    }
    const what = error?.type ? `${error.type}: ${error.reason ?? ''}` : JSON.stringify(answer.body);
    throw new SearchResponseError(
      `Elasticsearch at ${this.connection.url.origin} answered ${path} with HTTP ${answer.status} ${what}`,
      { status: answer.status, type: error?.type },
    );
  }

  private async call(method: string, path: string, body: unknown): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.sendToAnyNode(method, path, body);
      if (!RETRIED_STATUSES.has(answer.status) || attempt === MAX_RETRIES) return answer;
    }
  }

  /** Each node of the list in turn until one answers (a cluster that lost a node still searches). */
  private async sendToAnyNode(method: string, path: string, body: unknown): Promise<Answer> {
    const { urls } = this.connection;
    for (let i = 0; ; i++) {
      try {
        return await this.send(urls[i] ?? this.connection.url, method, path, body);
      } catch (error) {
        if (!(error instanceof SearchUnavailableError) || i >= urls.length - 1) throw error;
      }
    }
  }

  private send(url: URL, method: string, path: string, body: unknown): Promise<Answer> {
    const { requestTimeoutMs } = this.connection;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(url.pathname.replace(/\/$/, '') + path, url),
        {
          method,
          agent: this.agent,
          headers: { ...this.headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          readAnswer(res).then(resolve, (error: unknown) => reject(unreachableNode(this.node, error)));
        },
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`no answer within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      req.on('close', () => clearTimeout(timer));
      req.on('error', (error) => reject(unreachableNode(this.node, error)));
      req.end(payload);
    });
  }
}

/** The client of the query side for `options` (ELASTICSEARCH_NODE, _API_KEY, _CA_FILE). */
export function createQueryClient(options: SearchClientOptions): QueryClient {
  return new QueryClient(options);
}

async function readAnswer(res: IncomingMessage): Promise<Answer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: res.statusCode ?? 0, body: parseBody(text) };
}

// Elasticsearch answers JSON, but a proxy in front of it may answer plain text.
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
