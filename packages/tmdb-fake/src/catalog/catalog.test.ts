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

  it('gives every entry TMDB-shaped dates and image paths', () => {
    for (const movie of defaultCatalog.movies) {
      expect(movie.releaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(movie.posterPath).toMatch(/^\/[0-9A-Za-z]{27}\.jpg$/);
    }
    for (const series of defaultCatalog.series) expect(series.firstAirDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
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
