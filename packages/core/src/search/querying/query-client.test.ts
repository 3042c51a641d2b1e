import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DependencyUnavailableError,
  SearchAuthError,
  SearchResponseError,
  SearchUnavailableError,
} from '../../errors.js';
import { createQueryClient, type QueryClient } from './query-client.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
}

interface Reply {
  status: number;
  body: unknown;
}

/** A local HTTP server answering each request with the next reply (the last one repeats); `null`: never answers. */
async function serve(...replies: (Reply | null)[]) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      });
      const reply = replies[Math.min(seen.length, replies.length) - 1];
      if (!reply) return;
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, node: `http://127.0.0.1:${port}` };
}

const servers: Server[] = [];
const clients: QueryClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

function client(node: string, options: { apiKey?: string; requestTimeoutMs?: number } = {}): QueryClient {
  const created = createQueryClient({ node, ...options });
  clients.push(created);
  return created;
}

const emptyHits = { took: 1, timed_out: false, hits: { hits: [] } };
const privileges = { cluster: [], index: [{ names: ['torrents'], privileges: ['read'] }] };

describe('QueryClient', () => {
  it('posts a search to <index>/_search with the rest of the request as its body', async () => {
    const { seen, node } = await serve({ status: 200, body: emptyHits });
    const answer = await client(node).search({ index: 'torrents', size: 5, query: { match_all: {} } });
    expect(answer).toEqual(emptyHits);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/torrents/_search',
      body: { size: 5, query: { match_all: {} } },
    });
  });

  it('keeps the path of the node URL as a prefix of every request', async () => {
    const { seen, node } = await serve({ status: 200, body: emptyHits });
    await client(`${node}/elastic/`).search({ index: 'torrents' });
    expect(seen[0]?.url).toBe('/elastic/torrents/_search');
  });

  it('authenticates with the API key, ahead of a user and password in the node URL', async () => {
    const { seen, node } = await serve({ status: 200, body: emptyHits });
    const withUser = node.replace('http://', 'http://reader:pa%40ss@');
    await client(withUser).search({ index: 'torrents' });
    await client(withUser, { apiKey: 'a2V5OnNlY3JldA==' }).search({ index: 'torrents' });
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('reader:pa@ss').toString('base64')}`);
    expect(seen[1]?.headers.authorization).toBe('ApiKey a2V5OnNlY3JldA==');
  });

  it('raises a 401 as SearchAuthError naming ELASTICSEARCH_API_KEY and the origin only', async () => {
    const { node } = await serve({
      status: 401,
      body: { error: { type: 'security_exception', reason: 'unable to authenticate' }, status: 401 },
    });
    const attempt = client(node.replace('http://', 'http://reader:secret@')).search({ index: 'torrents' });
    await expect(attempt).rejects.toBeInstanceOf(SearchAuthError);
    await expect(attempt).rejects.toThrow(
      `Elasticsearch at ${node} refused the credentials (HTTP 401 security_exception): check ELASTICSEARCH_API_KEY`,
    );
  });

  it('answers null for the privileges of a cluster without security (a 400 with a bare string error)', async () => {
    const { node } = await serve({
      status: 400,
      body: {
        error: 'no handler found for uri [/_security/user/_has_privileges] and method [POST]',
        status: 400,
      },
    });
    expect(await client(node).hasPrivileges(privileges)).toBeNull();
  });

  it('hands back the privileges answer of a cluster with security', async () => {
    const answer = { has_all_requested: false, cluster: {}, index: { torrents: { read: false } } };
    const { seen, node } = await serve({ status: 200, body: answer });
    expect(await client(node).hasPrivileges(privileges)).toEqual(answer);
    expect(seen[0]).toMatchObject({ url: '/_security/user/_has_privileges', body: privileges });
  });

  it('raises a missing index as a missing dependency, naming the index and the fix', async () => {
    const { node } = await serve({
      status: 404,
      body: {
        error: { type: 'index_not_found_exception', reason: 'no such index [nope]', index: 'nope' },
        status: 404,
      },
    });
    const attempt = client(node).search({ index: 'nope' });
    await expect(attempt).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(attempt).rejects.toThrow(
      `Elasticsearch at ${node} has no index or alias "nope": start a worker (it creates the index) or run \`minato reindex\``,
    );
  });

  it('raises any other error status as SearchResponseError with its type and reason', async () => {
    const { node } = await serve({
      status: 400,
      body: { error: { type: 'parsing_exception', reason: 'unknown query [nope]' }, status: 400 },
    });
    const attempt = client(node).search({ index: 'torrents' });
    await expect(attempt).rejects.toBeInstanceOf(SearchResponseError);
    await expect(attempt).rejects.toThrow(
      'answered /torrents/_search with HTTP 400 parsing_exception: unknown query [nope]',
    );
  });

  it('retries a 503 twice, as the full client does, then gives the answer', async () => {
    const unavailable = { status: 503, body: { error: { type: 'unavailable' } } };
    const { seen, node } = await serve(unavailable, unavailable, { status: 200, body: emptyHits });
    expect(await client(node).search({ index: 'torrents' })).toEqual(emptyHits);
    expect(seen).toHaveLength(3);
  });

  it('gives up on a 503 after two retries', async () => {
    const { seen, node } = await serve({ status: 503, body: { error: { type: 'unavailable' } } });
    await expect(client(node).search({ index: 'torrents' })).rejects.toBeInstanceOf(SearchResponseError);
    expect(seen).toHaveLength(3);
  });

  it('raises a refused connection at once as SearchUnavailableError naming the node', async () => {
    const { node } = await serve();
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const attempt = client(node).search({ index: 'torrents' });
    await expect(attempt).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(attempt).rejects.toThrow(
      new RegExp(
        `^Elasticsearch at ${node} could not be reached \\(connect ECONNREFUSED .*\\): start it or correct ELASTICSEARCH_NODE$`,
      ),
    );
  });

  it('searches through the next node of the list when the first refuses the connection', async () => {
    const { node: down } = await serve();
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const { node: up, seen } = await serve({ status: 200, body: emptyHits });
    expect(await client(`${down},${up}`).search({ index: 'torrents' })).toEqual(emptyHits);
    expect(seen).toHaveLength(1);
  });

  it('raises a node that does not answer within the request timeout as SearchUnavailableError', async () => {
    const { node } = await serve(null);
    const attempt = client(node, { requestTimeoutMs: 200 }).search({ index: 'torrents' });
    await expect(attempt).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(attempt).rejects.toThrow('(no answer within 200 ms)');
  });
});
