import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TmdbAuthError,
  TmdbClient,
  TmdbMalformedResponseError,
  TmdbMatcher,
  TmdbRateLimitedError,
  TmdbResponseTooLargeError,
  TmdbUnavailableError,
  TMDB_MAX_RESPONSE_BYTES,
  type TmdbMatchResult,
} from '@minato/core';
import { sentBytesBound } from '../support/socket-buffers.js';
import { startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';

// The real client and matcher against the real fake over HTTP .
let fake: TmdbFake;
const API_KEY = 'integration-test-key';

const clientFor = (server: TmdbFake, apiKey = API_KEY, timeoutMs = 2_000) =>
  new TmdbClient({ baseUrl: server.baseUrl, apiKey, timeoutMs });

function tmdbIdOf(result: TmdbMatchResult): number {
  if (result.status !== 'matched') throw new Error(`expected a match, got ${JSON.stringify(result)}`);
  return result.media.tmdbId;
}

beforeAll(async () => {
  fake = await startTmdbFake({ port: 0, apiKey: API_KEY });
});

afterEach(() => {
  fake.reset();
});

afterAll(async () => {
  await fake.close();
});

describe('TMDB client and matcher against the fake', () => {
  it('matches The Lion King 2019 and 1994 to different TMDB ids, one search each', async () => {
    const matcher = new TmdbMatcher({ api: clientFor(fake) });
    const remake = await matcher.match({ type: 'movie', title: 'The Lion King', year: 2019, imdbId: null });
    const original = await matcher.match({ type: 'movie', title: 'The Lion King', year: 1994, imdbId: null });
    expect(tmdbIdOf(remake)).toBe(420818);
    expect(tmdbIdOf(original)).toBe(8587);
    expect(fake.requests.map((r) => `${r.path} ${r.query.year}`)).toEqual([
      '/3/search/movie 2019',
      '/3/search/movie 1994',
    ]);
  });

  it('matches Dune 2021 and Dune 1984 to different TMDB ids', async () => {
    const matcher = new TmdbMatcher({ api: clientFor(fake) });
    const dune2021 = await matcher.match({ type: 'movie', title: 'Dune', year: 2021, imdbId: null });
    const dune1984 = await matcher.match({ type: 'movie', title: 'Dune', year: 1984, imdbId: null });
    expect(tmdbIdOf(dune2021)).toBe(438631);
    expect(tmdbIdOf(dune1984)).toBe(841);
  });

  it('tells other remakes and same-named series apart by year with one call per title', async () => {
    const matcher = new TmdbMatcher({ api: clientFor(fake) });
    const pairs = [
      ['movie', 'Total Recall', 1990, 2012],
      ['movie', 'RoboCop', 1987, 2014],
      ['movie', 'The Thing', 1982, 2011],
      ['movie', 'Suspiria', 1977, 2018],
      ['tv', 'The Office', 2001, 2005],
    ] as const;
    for (const [type, title, firstYear, secondYear] of pairs) {
      const first = await matcher.match({ type, title, year: firstYear, imdbId: null });
      const second = await matcher.match({ type, title, year: secondYear, imdbId: null });
      expect(tmdbIdOf(first), title).not.toBe(tmdbIdOf(second));
      expect(first.status === 'matched' && first.media.year).toBe(firstYear);
      expect(second.status === 'matched' && second.media.year).toBe(secondYear);
    }
    expect(fake.requests).toHaveLength(pairs.length * 2);
  });

  it('goes through /find for an IMDb id and makes no search', async () => {
    const matcher = new TmdbMatcher({ api: clientFor(fake) });
    const result = await matcher.match({
      type: 'tv',
      title: 'Breaking Bad',
      year: 2008,
      imdbId: 'tt0903747',
    });
    expect(result).toMatchObject({
      status: 'matched',
      confidence: 1,
      media: { tmdbId: 1396, imdbId: 'tt0903747' },
    });
    expect(fake.requests.map((r) => [r.path, r.query.external_source])).toEqual([
      ['/3/find/tt0903747', 'imdb_id'],
    ]);
  });

  it('answers no_match for a title the catalog does not hold, after one retry without the year', async () => {
    const matcher = new TmdbMatcher({ api: clientFor(fake) });
    const result = await matcher.match({
      type: 'movie',
      title: 'Zzyzx Nonexistent',
      year: 2020,
      imdbId: null,
    });
    expect(result).toEqual({ status: 'no_match', bestConfidence: 0 });
    expect(fake.requests).toHaveLength(2);
  });

  it('throws TmdbAuthError for a wrong key without revealing it, and keeps the key out of the request log', async () => {
    const error = await clientFor(fake, 'wrong-key-123')
      .searchMovie('Dune')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbAuthError);
    expect((error as Error).message).not.toContain('wrong-key-123');
    expect(fake.requests[0]).toMatchObject({ status: 401, query: { query: 'Dune' } });
    expect(JSON.stringify(fake.requests)).not.toContain('wrong-key-123');
  });

  it('authenticates a v4 token as a bearer header', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJtaW5hdG8ifQ.c2lnbmF0dXJl';
    const bearerFake = await startTmdbFake({ port: 0, apiKey: token });
    try {
      const page = await clientFor(bearerFake, token).searchTv('Game of Thrones');
      expect(page.results.map((r) => r.id)).toEqual([1399]);
      expect(bearerFake.requests[0]?.query).not.toHaveProperty('api_key');
    } finally {
      await bearerFake.close();
    }
  });

  it('throws TmdbMalformedResponseError naming the endpoint for malformed JSON and for a wrong shape', async () => {
    fake.setMode({ mode: 'garbage', garbage: 'invalid-json', count: 1 });
    const notJson = await clientFor(fake)
      .searchMovie('Dune')
      .catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(TmdbMalformedResponseError);
    expect((notJson as Error).message).toContain('search/movie');

    fake.setMode({ mode: 'garbage', garbage: 'wrong-shape', count: 1 });
    const wrongShape = await clientFor(fake)
      .findByImdbId('tt0110357')
      .catch((e: unknown) => e);
    expect(wrongShape).toBeInstanceOf(TmdbMalformedResponseError);
    expect((wrongShape as Error).message).toMatch(/find\/\{external_id\} .*movie_results/);

    const recovered = await clientFor(fake).searchMovie('Dune');
    expect(recovered.results.map((r) => r.id)).toEqual(expect.arrayContaining([438631, 841]));
  });

  it('refuses a 64 MiB answer after reading about its 2 MiB limit, though the answer fits the schema', async () => {
    const hugeBytes = 64 * 1024 * 1024;
    fake.setMode({ mode: 'huge', hugeBytes, count: 1 });
    // The fake builds the 64 MiB answer before its first byte (a second or more on a loaded machine): the
    // client's timeout only bounds a hang here.
    const error = await clientFor(fake, API_KEY, 30_000)
      .searchMovie('Dune')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbResponseTooLargeError);
    expect((error as Error).message).toBe(
      `TMDB answered search/movie with a body of more than ${TMDB_MAX_RESPONSE_BYTES} bytes, over the client's limit of ${TMDB_MAX_RESPONSE_BYTES} bytes`,
    );
    // The same answer is valid: a client allowed to read it all finds the films among thousands of results.
    fake.setMode({ mode: 'huge', hugeBytes, count: 1 });
    const unbounded = new TmdbClient({
      baseUrl: fake.baseUrl,
      apiKey: API_KEY,
      timeoutMs: 30_000,
      maxResponseBytes: 2 * hugeBytes,
    });
    const page = await unbounded.searchMovie('Dune');
    expect(page.results.length).toBeGreaterThan(10_000);
    expect(page.results.map((r) => r.id)).toEqual(expect.arrayContaining([438631, 841]));
    // The refused answer's connection took what the client read plus the sockets' buffers, far from all of it.
    expect(fake.requests.map((r) => r.sentBytes)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(fake.requests[1]?.sentBytes).toBeGreaterThanOrEqual(hugeBytes);
    expect(sentBytesBound(TMDB_MAX_RESPONSE_BYTES)).toBeLessThan(hugeBytes);
    expect(fake.requests[0]?.sentBytes).toBeLessThan(sentBytesBound(TMDB_MAX_RESPONSE_BYTES));
  });

  it('throws TmdbUnavailableError for a 500', async () => {
    fake.setMode({ mode: '500', count: 1 });
    await expect(clientFor(fake).movieDetails(438631)).rejects.toBeInstanceOf(TmdbUnavailableError);
    await expect(clientFor(fake).movieDetails(438631)).resolves.toMatchObject({ imdb_id: 'tt1160419' });
  });

  it('throws TmdbRateLimitedError with retryAfterMs 3000 for a 429 with Retry-After: 3', async () => {
    fake.setMode({ mode: '429', retryAfterSeconds: 3, count: 1 });
    const error = await clientFor(fake)
      .searchMovie('Dune', 2021)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbRateLimitedError);
    expect((error as TmdbRateLimitedError).retryAfterMs).toBe(3_000);
    expect(fake.requests.map((r) => r.status)).toEqual([429]);
  });

  it('throws TmdbUnavailableError when an answer is slower than timeoutMs', async () => {
    fake.setMode({ mode: 'slow', delayMs: 3_000 });
    // The client's own timer decided (its message names the limit); no wall clock of the test's is needed.
    const error = await clientFor(fake, API_KEY, 200)
      .configuration()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TmdbUnavailableError);
    expect((error as Error).message).toContain('within 200 ms');
  });

  it('throws TmdbUnavailableError when nothing listens', async () => {
    const closed = await startTmdbFake({ port: 0 });
    await closed.close();
    await expect(clientFor(closed).configuration()).rejects.toThrow(TmdbUnavailableError);
  });

  it('takes its mode over HTTP and keeps control requests out of the log', async () => {
    const set = await fetch(`${fake.url}/__control/mode`, {
      method: 'POST',
      body: JSON.stringify({ mode: '500', count: 2 }),
    });
    expect(await set.json()).toMatchObject({ mode: '500', remaining: 2 });
    const client = clientFor(fake);
    await expect(client.configuration()).rejects.toBeInstanceOf(TmdbUnavailableError);
    await expect(client.configuration()).rejects.toBeInstanceOf(TmdbUnavailableError);
    await expect(client.configuration()).resolves.toHaveProperty('images');
    const log = (await (await fetch(`${fake.url}/__control/requests`)).json()) as {
      path: string;
      status: number;
    }[];
    expect(log.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(log.every((r) => r.path === '/3/configuration')).toBe(true);
    const rejected = await fetch(`${fake.url}/__control/mode`, { method: 'POST', body: '{"mode":"teapot"}' });
    expect(rejected.status).toBe(400);
  });
});
