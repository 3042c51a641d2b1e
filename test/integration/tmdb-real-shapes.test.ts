import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmdbClient, TmdbMatcher, parseRelease, type TmdbMatchResult } from '@minato/core';
import { startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';

// The client and matcher against the fake's real-world shapes and year filters (see the fake's catalog:
// undated entries, null posters, empty overviews, no votes, no original title).
let fake: TmdbFake;
const API_KEY = 'real-shapes-key';

beforeAll(async () => {
  fake = await startTmdbFake({ port: 0, apiKey: API_KEY });
});
afterAll(() => fake.close());

const matched = (result: TmdbMatchResult) => {
  expect(result.status, JSON.stringify(result)).toBe('matched');
  return (result as Extract<TmdbMatchResult, { status: 'matched' }>).media;
};

describe('TMDB as it really answers', () => {
  const matcher = () =>
    new TmdbMatcher({ api: new TmdbClient({ baseUrl: fake.baseUrl, apiKey: API_KEY, timeoutMs: 2_000 }) });

  it('stores nulls, not garbage, for a film with no date, poster, overview, votes or original title', async () => {
    const media = matched(
      await matcher().match({ type: 'movie', title: 'Heat 2', year: null, imdbId: null }),
    );
    expect(media).toMatchObject({
      title: 'Heat 2',
      originalTitle: 'Heat 2',
      year: null,
      overview: null,
      posterPath: null,
      rating: null,
      voteCount: 0,
    });
  });

  it('prefers a dated, voted series over an undated namesake when the release gives no year', async () => {
    const release = parseRelease('Battlestar.Galactica.S01E01.720p.BluRay.x264-GROUP');
    const media = matched(
      await matcher().match({ type: 'tv', title: release.title ?? '', year: release.year, imdbId: null }),
    );
    expect(media.year).toBe(2004);
    expect(media.posterPath).not.toBeNull();
  });

  it("matches a series release naming a later season's year in one call", async () => {
    fake.reset();
    const media = matched(
      await matcher().match({ type: 'tv', title: 'Breaking Bad', year: 2012, imdbId: null }),
    );
    expect(media).toMatchObject({ tmdbId: 1396, year: 2008 });
    expect(fake.requests.map((r) => `${r.path} ${r.query.year}`)).toEqual(['/3/search/tv 2012']);
  });

  it("matches a film named with a re-release's year in one call", async () => {
    fake.reset();
    const media = matched(
      await matcher().match({ type: 'movie', title: 'Spirited Away', year: 2002, imdbId: null }),
    );
    expect(media).toMatchObject({ tmdbId: 129, year: 2001 });
    expect(fake.requests).toHaveLength(1);
  });

  it('honours primary_release_year and first_air_date_year as TMDB does', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${fake.baseUrl}${path}&api_key=${API_KEY}`);
      return ((await response.json()) as { results: { id: number }[] }).results.map((r) => r.id);
    };
    expect(await get('/search/movie?query=Spirited+Away&primary_release_year=2002')).toEqual([]);
    expect(await get('/search/movie?query=Spirited+Away&year=2002')).toEqual([129]);
    expect(await get('/search/tv?query=Breaking+Bad&first_air_date_year=2012')).toEqual([]);
    expect(await get('/search/tv?query=Breaking+Bad&year=2012')).toEqual([1396]);
  });
});
