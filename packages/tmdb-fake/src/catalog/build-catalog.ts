import { createHash } from 'node:crypto';
import { movieGenres, tvGenres } from './genres.js';
import type { Catalog, CatalogMovie, CatalogSeries, MovieSeed, SeriesSeed } from './types.js';

// Ids assigned to entries whose TMDB id the table does not give: far above any id it does give.
const FIRST_SYNTHETIC_MOVIE_ID = 2_000_000;
const FIRST_SYNTHETIC_SERIES_ID = 500_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Turns the catalog's tables into the records the fake answers from; throws on a duplicate id or an unknown genre. */
export function buildCatalog(seeds: {
  movies: readonly MovieSeed[];
  series: readonly SeriesSeed[];
}): Catalog {
  const movies = seeds.movies.map((seed, index): CatalogMovie => {
    const id = seed.tmdb ?? FIRST_SYNTHETIC_MOVIE_ID + index;
    const digest = hash(`movie:${id}`);
    return {
      id,
      title: seed.title,
      originalTitle: seed.noOriginal ? null : (seed.original ?? seed.title),
      originalLanguage: seed.lang ?? 'en',
      releaseDate: seed.year === null ? '' : dateIn(seed.year, digest),
      releaseYears: seed.year === null ? [] : [seed.year, ...(seed.alsoReleased ?? [])],
      imdbId: seed.imdb ?? null,
      overview: seed.overview,
      posterPath: seed.poster === false ? null : imagePath(`poster:movie:${id}`),
      backdropPath: imagePath(`backdrop:movie:${id}`),
      voteAverage: seed.rating,
      voteCount: seed.votes,
      popularity: popularity(seed, digest),
      genreIds: genreIds(seed.genres, movieGenres, seed.title),
      runtime: 85 + (digest % 70),
    };
  });
  const series = seeds.series.map((seed, index): CatalogSeries => {
    const id = seed.tmdb ?? FIRST_SYNTHETIC_SERIES_ID + index;
    const digest = hash(`tv:${id}`);
    return {
      id,
      name: seed.title,
      originalName: seed.noOriginal ? null : (seed.original ?? seed.title),
      originalLanguage: seed.lang ?? 'en',
      firstAirDate: seed.year === null ? '' : dateIn(seed.year, digest),
      lastAirDate:
        seed.year === null
          ? null
          : dateIn(seed.lastYear ?? seed.year + (seed.seasons ?? 1) - 1, digest >>> 4),
      imdbId: seed.imdb ?? null,
      overview: seed.overview,
      posterPath: seed.poster === false ? null : imagePath(`poster:tv:${id}`),
      backdropPath: imagePath(`backdrop:tv:${id}`),
      voteAverage: seed.rating,
      voteCount: seed.votes,
      popularity: popularity(seed, digest),
      genreIds: genreIds(seed.genres, tvGenres, seed.title),
      originCountry: [seed.country ?? 'US'],
      numberOfSeasons: seed.seasons ?? 1,
    };
  });
  assertUnique(
    'movie id',
    movies.map((m) => m.id),
  );
  assertUnique(
    'tv id',
    series.map((s) => s.id),
  );
  assertUnique(
    'IMDb id',
    [...movies, ...series].flatMap((r) => (r.imdbId === null ? [] : [r.imdbId])),
  );
  return { movies, series };
}

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

// TMDB image paths are 27 base62 characters; these are stable per entry but point at nothing.
function imagePath(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  const chars = Array.from({ length: 27 }, (_, i) => BASE62[(bytes[i] ?? 0) % 62]);
  return `/${chars.join('')}.jpg`;
}

function dateIn(year: number, digest: number): string {
  const month = 1 + (digest % 12);
  const day = 1 + ((digest >>> 8) % 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// Votes stand in for fame; recent titles are searched more, as on TMDB.
function popularity(seed: { year: number | null; votes: number }, digest: number): number {
  const year = seed.year ?? 0;
  const recency = year >= 2020 ? 2 : year >= 2010 ? 1.4 : 1;
  return Math.round(((seed.votes / 120) * recency + (digest % 1000) / 100) * 1000) / 1000;
}

function genreIds(names: string, table: Readonly<Record<string, { id: number }>>, title: string): number[] {
  return names
    .split(' ')
    .filter((name) => name !== '')
    .map((name) => {
      const genre = table[name];
      if (!genre) throw new Error(`catalog entry "${title}" names an unknown genre "${name}"`);
      return genre.id;
    });
}

function assertUnique(what: string, values: readonly (string | number)[]): void {
  const seen = new Set<string | number>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`catalog holds the ${what} ${String(value)} twice`);
    seen.add(value);
  }
}
