import { describe, expect, it } from 'vitest';
import { TmdbMatcher, type TmdbLookupApi } from './matcher.js';
import type { TmdbFindResult, TmdbMovieResult, TmdbTvResult } from './schemas.js';

function movie(
  id: number,
  title: string,
  date: string,
  extra: Partial<TmdbMovieResult> = {},
): TmdbMovieResult {
  return {
    id,
    title,
    original_title: title,
    overview: `${title} overview`,
    poster_path: `/${id}.jpg`,
    release_date: date,
    popularity: 10,
    vote_average: 7,
    vote_count: 100,
    ...extra,
  };
}

function series(id: number, name: string, date: string): TmdbTvResult {
  return {
    id,
    name,
    original_name: name,
    overview: '',
    poster_path: null,
    first_air_date: date,
    popularity: 10,
    vote_average: 0,
    vote_count: 0,
  };
}

const page = <T>(results: T[]) => ({ page: 1, results, total_pages: 1, total_results: results.length });

/** A TMDB stand-in that answers from small tables and records every call. */
function stubApi(tables: { movies?: TmdbMovieResult[]; series?: TmdbTvResult[]; find?: TmdbFindResult }) {
  const calls: string[] = [];
  const byYear = <T>(rows: T[], date: (row: T) => string | null | undefined, year?: number) =>
    rows.filter((row) => year === undefined || date(row)?.startsWith(String(year)));
  const api: TmdbLookupApi = {
    searchMovie: (query, year) => {
      calls.push(`searchMovie ${query} ${year ?? '-'}`);
      return Promise.resolve(page(byYear(tables.movies ?? [], (m) => m.release_date, year)));
    },
    searchTv: (query, year) => {
      calls.push(`searchTv ${query} ${year ?? '-'}`);
      return Promise.resolve(page(byYear(tables.series ?? [], (s) => s.first_air_date, year)));
    },
    findByImdbId: (imdbId) => {
      calls.push(`find ${imdbId}`);
      return Promise.resolve(tables.find ?? { movie_results: [], tv_results: [] });
    },
  };
  return { api, calls };
}

const lionKings = [movie(420818, 'The Lion King', '2019-07-12'), movie(8587, 'The Lion King', '1994-06-15')];

describe('TmdbMatcher', () => {
  it('picks the remake or the original by year with one search each', async () => {
    const { api, calls } = stubApi({ movies: lionKings });
    const matcher = new TmdbMatcher({ api });
    const remake = await matcher.match({ type: 'movie', title: 'The Lion King', year: 2019, imdbId: null });
    const original = await matcher.match({ type: 'movie', title: 'The Lion King', year: 1994, imdbId: null });
    expect(remake).toMatchObject({ status: 'matched', confidence: 1, media: { tmdbId: 420818, year: 2019 } });
    expect(original).toMatchObject({ status: 'matched', media: { tmdbId: 8587, year: 1994 } });
    expect(calls).toEqual(['searchMovie The Lion King 2019', 'searchMovie The Lion King 1994']);
  });

  it('searches again without the year when the year finds nothing', async () => {
    const { api, calls } = stubApi({ movies: [movie(1, 'Heat', '1995-12-15')] });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'Heat',
      year: 1996,
      imdbId: null,
    });
    expect(calls).toEqual(['searchMovie Heat 1996', 'searchMovie Heat -']);
    expect(result).toMatchObject({ status: 'matched', confidence: 0.9, media: { tmdbId: 1 } });
  });

  it('searches again without the year when the year finds only word-match noise', async () => {
    const { api, calls } = stubApi({
      movies: [
        movie(1, 'The Ring', '2002-10-18'),
        movie(2, 'The Lord of the Rings: The Return of the King', '2003-12-17'),
      ],
    });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'Ring',
      year: 2003,
      imdbId: null,
    });
    expect(calls).toEqual(['searchMovie Ring 2003', 'searchMovie Ring -']);
    expect(result).toMatchObject({ status: 'matched', media: { tmdbId: 1 } });
  });

  it('goes through /find for an IMDb id and makes no search', async () => {
    const found = { movie_results: [movie(8587, 'The Lion King', '1994-06-15')], tv_results: [] };
    const { api, calls } = stubApi({ find: found });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'Lion King',
      year: 2019,
      imdbId: 'TT0110357',
    });
    expect(calls).toEqual(['find tt0110357']);
    expect(result).toMatchObject({
      status: 'matched',
      confidence: 1,
      media: { tmdbId: 8587, imdbId: 'tt0110357' },
    });
  });

  it('trusts the IMDb id over the parsed type', async () => {
    const found = { movie_results: [], tv_results: [series(1396, 'Breaking Bad', '2008-01-20')] };
    const { api } = stubApi({ find: found });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'x',
      year: null,
      imdbId: 'tt0903747',
    });
    expect(result).toMatchObject({ status: 'matched', media: { mediaType: 'tv', tmdbId: 1396 } });
  });

  it('falls back to a search when TMDB does not know the IMDb id', async () => {
    const { api, calls } = stubApi({ movies: lionKings });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'The Lion King',
      year: 1994,
      imdbId: 'tt9999999',
    });
    expect(calls).toEqual(['find tt9999999', 'searchMovie The Lion King 1994']);
    expect(result).toMatchObject({ status: 'matched', media: { tmdbId: 8587, imdbId: null } });
  });

  it('searches series by first-air year and accepts a later release year', async () => {
    const { api, calls } = stubApi({ series: [series(1399, 'Game of Thrones', '2011-04-17')] });
    const result = await new TmdbMatcher({ api }).match({
      type: 'tv',
      title: 'Game of Thrones',
      year: 2019,
      imdbId: null,
    });
    expect(calls).toEqual(['searchTv Game of Thrones 2019', 'searchTv Game of Thrones -']);
    expect(result).toMatchObject({
      status: 'matched',
      confidence: 0.9,
      media: { tmdbId: 1399, rating: null },
    });
  });

  it('reads a series name ending in a year as the name and its first-air year only when the whole finds nothing', async () => {
    const { api, calls } = stubApi({
      series: [series(57243, 'Doctor Who', '2005-03-26'), series(121, 'Doctor Who', '1963-11-23')],
    });
    // TMDB finds no series by a word none of their names holds.
    const searchTv: TmdbLookupApi['searchTv'] = (query, year) =>
      query.includes('2005')
        ? (calls.push(`searchTv ${query} ${year ?? '-'}`), Promise.resolve(page<TmdbTvResult>([])))
        : api.searchTv(query, year);
    const result = await new TmdbMatcher({ api: { ...api, searchTv } }).match({
      type: 'tv',
      title: 'Doctor Who 2005',
      year: null,
      imdbId: null,
    });
    expect(result).toMatchObject({ status: 'matched', confidence: 1, media: { tmdbId: 57243 } });
    expect(calls).toEqual(['searchTv Doctor Who 2005 -', 'searchTv Doctor Who 2005']);
  });

  it('matches a series by its accented original name, accents folded on both sides', async () => {
    const elite = { ...series(76669, 'Elite', '2018-10-05'), original_name: 'Élite' };
    const { api } = stubApi({ series: [elite] });
    const matcher = new TmdbMatcher({ api });
    for (const title of ['Élite', 'ELITE']) {
      const result = await matcher.match({ type: 'tv', title, year: 2018, imdbId: null });
      expect(result, title).toMatchObject({ status: 'matched', confidence: 1, media: { tmdbId: 76669 } });
    }
  });

  it('answers no_match with the best confidence when every candidate is below the threshold', async () => {
    const { api } = stubApi({ movies: [movie(1, 'Dune: Part Two', '2024-02-27')] });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'Dune',
      year: 2021,
      imdbId: null,
    });
    expect(result.status).toBe('no_match');
    expect(result.status === 'no_match' && result.bestConfidence).toBeGreaterThan(0);
    expect(result.status === 'no_match' && result.bestConfidence).toBeLessThan(0.6);
  });

  it('answers no_match without a call for an empty title', async () => {
    const { api, calls } = stubApi({});
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: '  ',
      year: 2000,
      imdbId: null,
    });
    expect(result).toEqual({ status: 'no_match', bestConfidence: 0 });
    expect(calls).toEqual([]);
  });

  it('maps the stored fields, with empty text and missing votes as null', async () => {
    const { api } = stubApi({
      movies: [movie(7, 'Moon', '2009-06-12', { overview: '', vote_count: 0, poster_path: null })],
    });
    const result = await new TmdbMatcher({ api }).match({
      type: 'movie',
      title: 'Moon',
      year: 2009,
      imdbId: null,
    });
    expect(result).toEqual({
      status: 'matched',
      confidence: 1,
      media: {
        tmdbId: 7,
        mediaType: 'movie',
        title: 'Moon',
        originalTitle: 'Moon',
        year: 2009,
        overview: null,
        posterPath: null,
        rating: null,
        voteCount: 0,
        imdbId: null,
      },
    });
  });
});
