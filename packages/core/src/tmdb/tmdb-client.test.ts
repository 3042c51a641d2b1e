import { describe, expect, it } from 'vitest';
import {
  TmdbAuthError,
  TmdbMalformedResponseError,
  TmdbRateLimitedError,
  TmdbRequestError,
  TmdbResponseTooLargeError,
  TmdbUnavailableError,
} from '../errors.js';
import { parseRetryAfter, TmdbClient, type TmdbEndpoint } from './tmdb-client.js';

const emptyPage = { page: 1, results: [], total_pages: 0, total_results: 0 };

/** A fetch that answers every request with `answer` and remembers what it was asked. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  const seen: { url: URL; headers: Headers }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    seen.push({ url: new URL(input), headers: new Headers(init?.headers) });
    return Promise.resolve(answer());
  };
  return { fetch, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(
  fetch: typeof globalThis.fetch,
  apiKey = 'v3-secret-key',
  onRequest?: (e: TmdbEndpoint, s: number) => void,
) {
  return new TmdbClient({ baseUrl: 'http://tmdb.test/3/', apiKey, timeoutMs: 1_000, fetch, onRequest });
}

describe('TmdbClient', () => {
  it('sends a v3 key as api_key and the year as a search parameter', async () => {
    const { fetch, seen } = fakeFetch(() => json(200, emptyPage));
    await client(fetch).searchMovie('The Lion King', 2019);
    const url = seen[0]?.url;
    expect(url?.pathname).toBe('/3/search/movie');
    expect(url?.searchParams.get('api_key')).toBe('v3-secret-key');
    expect(url?.searchParams.get('query')).toBe('The Lion King');
    expect(url?.searchParams.get('year')).toBe('2019');
    expect(seen[0]?.headers.get('authorization')).toBeNull();
  });

  it('sends a v4 token as a bearer header and never in the URL', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.payload.signature';
    const { fetch, seen } = fakeFetch(() => json(200, emptyPage));
    await client(fetch, token).searchTv('Dark', 2017);
    expect(seen[0]?.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(seen[0]?.url.toString()).not.toContain(token);
    expect(seen[0]?.url.searchParams.get('year')).toBe('2017');
  });

  it('turns a 401 into TmdbAuthError without the key in its message', async () => {
    const { fetch } = fakeFetch(() =>
      json(401, { success: false, status_code: 7, status_message: 'Invalid API key' }),
    );
    const error = await client(fetch)
      .configuration()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbAuthError);
    expect((error as Error).message).toContain('configuration');
    expect(
      JSON.stringify({ message: (error as Error).message, ...(error as TmdbAuthError).context }),
    ).not.toContain('v3-secret-key');
  });

  it('turns a 429 into TmdbRateLimitedError carrying Retry-After in milliseconds', async () => {
    const { fetch } = fakeFetch(() => json(429, { status_code: 25 }, { 'retry-after': '7' }));
    const error = await client(fetch)
      .searchMovie('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbRateLimitedError);
    expect((error as TmdbRateLimitedError).retryAfterMs).toBe(7_000);
  });

  it('turns a 503 and a refused connection into TmdbUnavailableError', async () => {
    const unavailable = fakeFetch(() => json(503, { status_code: 9 }));
    await expect(client(unavailable.fetch).searchMovie('x')).rejects.toBeInstanceOf(TmdbUnavailableError);
    const refused = fakeFetch(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
      });
    });
    await expect(client(refused.fetch).searchMovie('x')).rejects.toThrow(/search\/movie: ECONNREFUSED/);
  });

  it('turns a body that is not JSON or does not fit into TmdbMalformedResponseError naming the endpoint', async () => {
    const notJson = fakeFetch(() => new Response('<html>oops</html>', { status: 200 }));
    const error = await client(notJson.fetch)
      .findByImdbId('tt0110357')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbMalformedResponseError);
    expect((error as Error).message).toBe('TMDB answered find/{external_id} with a body that is not JSON');
    const wrongShape = fakeFetch(() =>
      json(200, { page: 1, results: 'none', total_pages: 1, total_results: 0 }),
    );
    await expect(client(wrongShape.fetch).searchTv('x')).rejects.toThrow(/search\/tv .*results: /);
  });

  it('refuses a body over its limit unread when Content-Length says so, and stops reading one without it', async () => {
    const limit = 64 * 1024;
    const bounded = (fetch: typeof globalThis.fetch, onRequest?: (e: TmdbEndpoint, s: number) => void) =>
      new TmdbClient({
        baseUrl: 'http://tmdb.test/3',
        apiKey: 'k',
        timeoutMs: 1_000,
        fetch,
        onRequest,
        maxResponseBytes: limit,
      });
    const declared = fakeFetch(
      () =>
        new Response('x'.repeat(limit + 1), {
          status: 200,
          headers: { 'content-length': String(limit + 1) },
        }),
    );
    const statuses: number[] = [];
    const refused = await bounded(declared.fetch, (_, status) => statuses.push(status))
      .searchMovie('x')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TmdbResponseTooLargeError);
    expect(refused).toBeInstanceOf(TmdbMalformedResponseError);
    expect((refused as Error).message).toBe(
      `TMDB answered search/movie with a body of ${limit + 1} bytes, over the client's limit of ${limit} bytes`,
    );
    expect(statuses).toEqual([200]);

    // A body streamed without Content-Length, endless: reading stops once the limit is passed.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
    });
    const streamed = fakeFetch(() => new Response(endless, { status: 200 }));
    await expect(bounded(streamed.fetch).searchMovie('x')).rejects.toThrow(
      `TMDB answered search/movie with a body of more than ${limit} bytes, over the client's limit of ${limit} bytes`,
    );
    expect(pulled).toBeLessThanOrEqual(limit / (16 * 1024) + 2);
    // Within the limit, an answer is read whole.
    const fits = fakeFetch(() => json(200, emptyPage));
    await expect(bounded(fits.fetch).searchMovie('x')).resolves.toMatchObject({ results: [] });
  });

  it('answers null for a details id TMDB does not have, and TmdbRequestError for another 4xx', async () => {
    const missing = fakeFetch(() => json(404, { status_code: 34, status_message: 'not found' }));
    await expect(client(missing.fetch).movieDetails(1)).resolves.toBeNull();
    await expect(client(missing.fetch).searchMovie('x')).rejects.toBeInstanceOf(TmdbRequestError);
    const bad = fakeFetch(() => json(422, { status_code: 22, status_message: 'Invalid page' }));
    await expect(client(bad.fetch).searchMovie('x')).rejects.toThrow(
      'TMDB refused search/movie with 422: Invalid page',
    );
  });

  it('asks tv details for external ids in the same call', async () => {
    const { fetch, seen } = fakeFetch(() =>
      json(200, {
        id: 1396,
        name: 'Breaking Bad',
        original_name: 'Breaking Bad',
        popularity: 1,
        vote_average: 8,
        vote_count: 5,
        genres: [],
        external_ids: { imdb_id: 'tt0903747' },
      }),
    );
    const details = await client(fetch).tvDetails(1396);
    expect(seen[0]?.url.searchParams.get('append_to_response')).toBe('external_ids');
    expect(details?.external_ids?.imdb_id).toBe('tt0903747');
  });

  it('reports every request to onRequest with its endpoint and status, 0 for no answer', async () => {
    const reports: [TmdbEndpoint, number][] = [];
    const ok = fakeFetch(() => json(200, emptyPage));
    await client(ok.fetch, 'k', (e, s) => reports.push([e, s])).searchMovie('x');
    const refused = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    await client(refused.fetch, 'k', (e, s) => reports.push([e, s]))
      .movieDetails(3)
      .catch(() => undefined);
    expect(reports).toEqual([
      ['search/movie', 200],
      ['movie/{id}', 0],
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and falls back to one second', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter(null, now)).toBe(1_000);
    expect(parseRetryAfter('soon', now)).toBe(1_000);
  });
});
