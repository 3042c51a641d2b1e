import { genreObjects } from './catalog/genres.js';
import type { CatalogMovie, CatalogSeries } from './catalog/index.js';

// The JSON TMDB v3 answers with, field for field (https://developer.themoviedb.org/reference).

// TMDB leaves out a field it has no value for in some answers, rather than sending null.
function withOriginal<T extends object>(result: T, key: string, value: string | null): T {
  return value === null ? result : { ...result, [key]: value };
}

export function movieResult(movie: CatalogMovie) {
  return withOriginal(movieFields(movie), 'original_title', movie.originalTitle);
}

function movieFields(movie: CatalogMovie) {
  return {
    adult: false,
    backdrop_path: movie.backdropPath,
    genre_ids: movie.genreIds,
    id: movie.id,
    original_language: movie.originalLanguage,
    overview: movie.overview,
    popularity: movie.popularity,
    poster_path: movie.posterPath,
    release_date: movie.releaseDate,
    title: movie.title,
    video: false,
    vote_average: movie.voteAverage,
    vote_count: movie.voteCount,
  };
}

export function seriesResult(series: CatalogSeries) {
  return withOriginal(seriesFields(series), 'original_name', series.originalName);
}

function seriesFields(series: CatalogSeries) {
  return {
    adult: false,
    backdrop_path: series.backdropPath,
    genre_ids: series.genreIds,
    id: series.id,
    origin_country: series.originCountry,
    original_language: series.originalLanguage,
    overview: series.overview,
    popularity: series.popularity,
    poster_path: series.posterPath,
    first_air_date: series.firstAirDate,
    name: series.name,
    vote_average: series.voteAverage,
    vote_count: series.voteCount,
  };
}

export function movieDetails(movie: CatalogMovie) {
  const { genre_ids: genreIds, ...result } = movieResult(movie);
  return {
    ...result,
    belongs_to_collection: null,
    budget: 0,
    genres: genreObjects(genreIds),
    homepage: '',
    imdb_id: movie.imdbId,
    origin_country: [],
    production_companies: [],
    production_countries: [],
    revenue: 0,
    runtime: movie.runtime,
    spoken_languages: [],
    status: 'Released',
    tagline: '',
  };
}

export function seriesDetails(series: CatalogSeries) {
  const { genre_ids: genreIds, ...result } = seriesResult(series);
  return {
    ...result,
    created_by: [],
    episode_run_time: [],
    genres: genreObjects(genreIds),
    homepage: '',
    in_production: false,
    languages: [series.originalLanguage],
    last_air_date: series.lastAirDate,
    networks: [],
    number_of_episodes: series.numberOfSeasons * 10,
    number_of_seasons: series.numberOfSeasons,
    production_companies: [],
    status: 'Ended',
    tagline: '',
    type: 'Scripted',
  };
}

export function externalIds(record: { id: number; imdbId: string | null }) {
  return {
    id: record.id,
    imdb_id: record.imdbId,
    facebook_id: null,
    instagram_id: null,
    twitter_id: null,
    wikidata_id: null,
  };
}

export function page<T>(all: readonly T[], pageNumber: number, pageSize: number) {
  return {
    page: pageNumber,
    results: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    total_pages: Math.ceil(all.length / pageSize),
    total_results: all.length,
  };
}

/** GET /3/configuration as TMDB answers it. */
export const configuration = {
  change_keys: [
    'adult',
    'air_date',
    'also_known_as',
    'alternative_titles',
    'biography',
    'birthday',
    'budget',
  ],
  images: {
    base_url: 'http://image.tmdb.org/t/p/',
    secure_base_url: 'https://image.tmdb.org/t/p/',
    backdrop_sizes: ['w300', 'w780', 'w1280', 'original'],
    logo_sizes: ['w45', 'w92', 'w154', 'w185', 'w300', 'w500', 'original'],
    poster_sizes: ['w92', 'w154', 'w185', 'w342', 'w500', 'w780', 'original'],
    profile_sizes: ['w45', 'w185', 'h632', 'original'],
    still_sizes: ['w92', 'w185', 'w300', 'original'],
  },
};

/** TMDB's error body (status codes from https://developer.themoviedb.org/docs/errors). */
export function tmdbError(statusCode: number, statusMessage: string) {
  return { success: false, status_code: statusCode, status_message: statusMessage };
}
