import { describe, expect, it } from 'vitest';
import { searchMovieAnswer, searchTvAnswer, tvDetailsAnswer } from './fixtures/real-answers.js';
import { findSchema, movieSearchSchema, tvDetailsSchema, tvSearchSchema, yearOfTmdbDate } from './schemas.js';

// Trimmed from a real GET /3/search/movie?query=dune answer.
const duneSearch = {
  page: 1,
  results: [
    {
      adult: false,
      backdrop_path: '/jYEW5xZkZk2WTrdbMGAPFuBqbDc.jpg',
      genre_ids: [878, 12],
      id: 438631,
      original_language: 'en',
      original_title: 'Dune',
      overview: 'Paul Atreides, a brilliant and gifted young man...',
      popularity: 148.5,
      poster_path: '/d5NXSklXo0qyIYkgV94XAgMIckC.jpg',
      release_date: '2021-09-15',
      title: 'Dune',
      video: false,
      vote_average: 7.8,
      vote_count: 12000,
    },
    {
      id: 1,
      title: 'Untitled Dune documentary',
      original_title: 'Untitled Dune documentary',
      overview: '',
      poster_path: null,
      release_date: '',
      popularity: 0.6,
      vote_average: 0,
      vote_count: 0,
    },
  ],
  total_pages: 1,
  total_results: 2,
};

describe('TMDB schemas', () => {
  it('accept real answers captured by public client libraries', () => {
    expect(movieSearchSchema.parse(searchMovieAnswer).results.map((r) => r.id)).toEqual([226979, 330764]);
    const tv = tvSearchSchema.parse(searchTvAnswer).results;
    expect(tv.map((r) => [r.overview, r.poster_path])).toEqual([
      ['', '/voaKRrYExZNkf1E4FZExU7fTd8w.jpg'],
      ['A woman fights for her place in a family.', null],
    ]);
    expect(tvDetailsSchema.parse(tvDetailsAnswer).name).toBe('Game of Thrones');
  });

  it('let no field Minato never reads reject a page: popularity as a string, odd genres and counts', () => {
    const [first, second] = searchMovieAnswer.results;
    const odd = {
      ...searchMovieAnswer,
      total_pages: '1',
      results: [
        { ...first, popularity: '5.411', genre_ids: null },
        { ...second, popularity: null },
      ],
    };
    const parsed = movieSearchSchema.parse(odd);
    expect(parsed.results.map((r) => [r.id, r.popularity])).toEqual([
      [226979, undefined],
      [330764, undefined],
    ]);
    expect(tvDetailsSchema.parse({ ...tvDetailsAnswer, genres: 'drama', number_of_seasons: '8' }).id).toBe(
      1399,
    );
  });

  it('accept a result without an original title', () => {
    const withoutOriginal: Record<string, unknown> = { ...searchMovieAnswer.results[0] };
    delete withoutOriginal.original_title;
    const parsed = movieSearchSchema.parse({ ...searchMovieAnswer, results: [withoutOriginal] });
    expect(parsed.results[0]?.original_title).toBeUndefined();
  });

  it('accept a real search answer, including a result with no poster and an empty date', () => {
    const parsed = movieSearchSchema.parse(duneSearch);
    expect(parsed.results.map((r) => r.id)).toEqual([438631, 1]);
    expect(yearOfTmdbDate(parsed.results[1]?.release_date)).toBeNull();
  });

  it('reject a search answer whose results are not a list', () => {
    const result = movieSearchSchema.safeParse({ ...duneSearch, results: 'none' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['results']);
  });

  it('reject a result with a non-numeric id', () => {
    const result = movieSearchSchema.safeParse({
      ...duneSearch,
      results: [{ ...duneSearch.results[0], id: '438631' }],
    });
    expect(result.success).toBe(false);
  });

  it('read a find answer and ignore the lists Minato does not use', () => {
    const parsed = findSchema.parse({ movie_results: [], tv_results: [], person_results: [{ id: 3 }] });
    expect(parsed).toEqual({ movie_results: [], tv_results: [] });
  });

  it('read the IMDb id of tv details from appended external ids', () => {
    const parsed = tvDetailsSchema.parse({
      id: 1396,
      name: 'Breaking Bad',
      original_name: 'Breaking Bad',
      first_air_date: '2008-01-20',
      popularity: 400,
      vote_average: 8.9,
      vote_count: 14000,
      genres: [{ id: 18, name: 'Drama' }],
      external_ids: { imdb_id: 'tt0903747' },
    });
    expect(parsed.external_ids?.imdb_id).toBe('tt0903747');
  });

  it('take the year of a TMDB date and nothing else', () => {
    expect(yearOfTmdbDate('1994-06-15')).toBe(1994);
    expect(yearOfTmdbDate('')).toBeNull();
    expect(yearOfTmdbDate(undefined)).toBeNull();
    expect(yearOfTmdbDate('1994')).toBeNull();
  });
});
