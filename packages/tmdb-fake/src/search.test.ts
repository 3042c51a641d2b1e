import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './catalog/index.js';
import { searchMovies, searchSeries, searchWords } from './search.js';

describe('the fake TMDB search', () => {
  it('splits titles into words without case, accents or punctuation', () => {
    expect(searchWords("Ocean's Eleven")).toEqual(['oceans', 'eleven']);
    expect(searchWords('Pride & Prejudice')).toEqual(['pride', 'and', 'prejudice']);
    expect(searchWords('Amélie — WALL·E')).toEqual(['amelie', 'wall', 'e']);
  });

  it('finds both Lion Kings without a year, most popular first, and one with a year', () => {
    const all = searchMovies(defaultCatalog, 'the lion KING');
    expect(all.map((m) => m.releaseDate.slice(0, 4))).toEqual(['1994', '2019']);
    expect(searchMovies(defaultCatalog, 'The Lion King', { first: 2019 }).map((m) => m.id)).toEqual([420818]);
  });

  it('matches every query word, the last one as a prefix, on the title or the original title', () => {
    expect(searchMovies(defaultCatalog, 'spider-man: no way', { any: 2021 }).map((m) => m.title)).toEqual([
      'Spider-Man: No Way Home',
    ]);
    expect(searchMovies(defaultCatalog, 'Im Westen nichts Neues').map((m) => m.releaseDate)).toHaveLength(1);
    expect(searchMovies(defaultCatalog, 'lion queen')).toEqual([]);
  });

  it('finds a film by its original title, accents folded and an elided article joined or apart', () => {
    const amelie = [194];
    const ids = (query: string) => searchMovies(defaultCatalog, query, { any: 2001 }).map((m) => m.id);
    expect(ids("Le Fabuleux Destin d'Amélie Poulain")).toEqual(amelie);
    expect(ids('Le Fabuleux Destin d Amelie Poulain')).toEqual(amelie);
    expect(ids('le fabuleux destin damelie poulain')).toEqual(amelie);
    expect(ids('Amelie')).toEqual(amelie);
  });

  it('finds a series whose name starts with an accented letter by its name with or without the accent', () => {
    expect(searchSeries(defaultCatalog, 'Élite', { first: 2018 }).map((s) => s.id)).toEqual([76669]);
    expect(searchSeries(defaultCatalog, 'elite', { any: 2020 }).map((s) => s.id)).toEqual([76669]);
  });

  it('filters series by first-air year', () => {
    const offices = searchSeries(defaultCatalog, 'The Office').map((s) => s.originCountry[0]);
    expect(offices).toEqual(['US', 'GB']);
    expect(searchSeries(defaultCatalog, 'The Office', { first: 2001 }).map((s) => s.id)).toEqual([2996]);
  });

  it('matches a film re-released later by `year` but not by `primary_release_year`', () => {
    expect(searchMovies(defaultCatalog, 'Spirited Away', { any: 2002 }).map((m) => m.id)).toEqual([129]);
    expect(searchMovies(defaultCatalog, 'Spirited Away', { first: 2002 })).toEqual([]);
    expect(searchMovies(defaultCatalog, 'Spirited Away', { first: 2001 }).map((m) => m.id)).toEqual([129]);
  });

  it('matches a series by any year it aired with `year`, by its first only with `first_air_date_year`', () => {
    expect(searchSeries(defaultCatalog, 'Breaking Bad', { any: 2012 }).map((s) => s.id)).toEqual([1396]);
    expect(searchSeries(defaultCatalog, 'Breaking Bad', { first: 2012 })).toEqual([]);
    expect(searchSeries(defaultCatalog, 'Breaking Bad', { any: 2014 })).toEqual([]);
  });

  it('never matches an undated entry by year, and finds it without one', () => {
    expect(searchMovies(defaultCatalog, 'Heat 2').map((m) => m.releaseDate)).toEqual(['']);
    expect(searchMovies(defaultCatalog, 'Heat 2', { any: 2026 })).toEqual([]);
  });

  it('ranks titles that are exactly the query above more popular partial matches', () => {
    const rings = searchMovies(defaultCatalog, 'Ring');
    expect(rings[0]?.title).toBe('Ring');
    expect(rings.map((m) => m.title)).toContain('The Lord of the Rings: The Fellowship of the Ring');
  });

  it('answers nothing to an empty query', () => {
    expect(searchMovies(defaultCatalog, ' - ')).toEqual([]);
  });
});
