import { describe, expect, it } from 'vitest';
import { buildCatalog, defaultCatalog } from './index.js';

describe('the shipped catalog', () => {
  it('holds a few hundred films and series', () => {
    expect(defaultCatalog.movies.length).toBeGreaterThan(200);
    expect(defaultCatalog.series.length).toBeGreaterThan(50);
  });

  it('holds remakes that share a title, with distinct ids', () => {
    const years = (title: string) =>
      defaultCatalog.movies.filter((m) => m.title === title).map((m) => Number(m.releaseDate.slice(0, 4)));
    expect(years('The Lion King')).toEqual([1994, 2019]);
    expect(years('Dune')).toEqual([1984, 2021]);
    for (const title of ['Total Recall', 'RoboCop', 'The Thing', 'Suspiria'])
      expect(years(title)).toHaveLength(2);
  });

  it('gives every entry TMDB-shaped dates and image paths, or the empty date and null poster TMDB sends', () => {
    for (const movie of defaultCatalog.movies) {
      expect(movie.releaseDate).toMatch(/^(?:\d{4}-\d{2}-\d{2})?$/);
      if (movie.posterPath !== null) expect(movie.posterPath).toMatch(/^\/[0-9A-Za-z]{27}\.jpg$/);
    }
    for (const series of defaultCatalog.series)
      expect(series.firstAirDate).toMatch(/^(?:\d{4}-\d{2}-\d{2})?$/);
  });

  it('holds the shapes real answers hold: an empty date, no poster, no overview, no votes, no original title', () => {
    const undated = [...defaultCatalog.movies, ...defaultCatalog.series].filter(
      (r) => r.posterPath === null && r.overview === '' && r.voteCount === 0,
    );
    expect(undated.length).toBeGreaterThanOrEqual(2);
    expect(defaultCatalog.movies.some((m) => m.releaseDate === '' && m.originalTitle === null)).toBe(true);
    expect(defaultCatalog.series.some((s) => s.firstAirDate === '' && s.originalName === null)).toBe(true);
  });

  it("gives the demo's series their real first and last air years", () => {
    const years = (name: string) =>
      defaultCatalog.series
        .filter((s) => s.name === name && s.firstAirDate !== '')
        .map((s) => `${s.firstAirDate.slice(0, 4)}-${s.lastAirDate?.slice(0, 4) ?? ''}`);
    expect(years('Chernobyl')).toEqual(['2019-2019']);
    expect(years('Dark')).toEqual(['2017-2020']);
    expect(years('The Sopranos')).toEqual(['1999-2007']);
    expect(years('Breaking Bad')).toEqual(['2008-2013']);
  });

  it('refuses a table with an unknown genre or a repeated id', () => {
    const seed = { title: 'X', year: 2000, rating: 5, votes: 1, genres: 'drama', overview: '.' };
    expect(() => buildCatalog({ movies: [{ ...seed, genres: 'dramma' }], series: [] })).toThrow(
      /unknown genre "dramma"/,
    );
    expect(() =>
      buildCatalog({
        movies: [
          { ...seed, tmdb: 5 },
          { ...seed, tmdb: 5 },
        ],
        series: [],
      }),
    ).toThrow(/movie id 5 twice/);
  });
});
