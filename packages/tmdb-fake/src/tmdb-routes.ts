import type { Catalog } from './catalog/index.js';
import { PAGE_SIZE, searchMovies, searchSeries } from './search.js';
import {
  configuration,
  externalIds,
  movieDetails,
  movieResult,
  page,
  seriesDetails,
  seriesResult,
  tmdbError,
} from './tmdb-shapes.js';

/** What a TMDB route answers, before any fault is applied. */
export interface TmdbAnswer {
  status: number;
  body: unknown;
}

const notFound: TmdbAnswer = {
  status: 404,
  body: tmdbError(34, 'The resource you requested could not be found.'),
};
const invalidPage: TmdbAnswer = {
  status: 400,
  body: tmdbError(22, 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.'),
};

/** Answers one authenticated GET under /3 (`path` without the /3 prefix) from the catalog. */
export function answerTmdb(catalog: Catalog, path: string, params: URLSearchParams): TmdbAnswer {
  const segments = path.split('/').filter((s) => s !== '');
  const [resource, second, third] = segments;
  if (segments.length > 3) return notFound;
  switch (resource) {
    case 'configuration':
      return segments.length === 1 ? { status: 200, body: configuration } : notFound;
    case 'search':
      return search(catalog, second, params);
    case 'movie':
    case 'tv':
      return details(catalog, resource, second, third, params);
    case 'find':
      return segments.length === 2 && second !== undefined ? find(catalog, second, params) : notFound;
    default:
      return notFound;
  }
}

function search(catalog: Catalog, kind: string | undefined, params: URLSearchParams): TmdbAnswer {
  const pageNumber = Number(params.get('page') ?? '1');
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > 500) return invalidPage;
  const query = params.get('query') ?? '';
  if (kind === 'movie') {
    const years = { first: yearParam(params, 'primary_release_year'), any: yearParam(params, 'year') };
    return {
      status: 200,
      body: page(searchMovies(catalog, query, years).map(movieResult), pageNumber, PAGE_SIZE),
    };
  }
  if (kind === 'tv') {
    const years = { first: yearParam(params, 'first_air_date_year'), any: yearParam(params, 'year') };
    return {
      status: 200,
      body: page(searchSeries(catalog, query, years).map(seriesResult), pageNumber, PAGE_SIZE),
    };
  }
  return notFound;
}

// TMDB ignores a year it cannot read rather than rejecting the request.
function yearParam(params: URLSearchParams, name: string): number | undefined {
  const value = Number(params.get(name) ?? '');
  return params.get(name) && Number.isInteger(value) ? value : undefined;
}

function details(
  catalog: Catalog,
  kind: 'movie' | 'tv',
  idText: string | undefined,
  sub: string | undefined,
  params: URLSearchParams,
): TmdbAnswer {
  if (idText === undefined || !/^\d+$/.test(idText)) return notFound;
  const id = Number(idText);
  const record =
    kind === 'movie' ? catalog.movies.find((m) => m.id === id) : catalog.series.find((s) => s.id === id);
  if (!record) return notFound;
  if (sub === 'external_ids') return { status: 200, body: externalIds(record) };
  if (sub !== undefined) return notFound;
  const body: Record<string, unknown> = 'title' in record ? movieDetails(record) : seriesDetails(record);
  const appended = (params.get('append_to_response') ?? '').split(',');
  if (appended.includes('external_ids')) body.external_ids = externalIds(record);
  return { status: 200, body };
}

function find(catalog: Catalog, externalId: string, params: URLSearchParams): TmdbAnswer {
  const source = params.get('external_source');
  if (!source) {
    return { status: 400, body: tmdbError(5, 'Invalid parameters: Your request parameters are incorrect.') };
  }
  const imdbId = source === 'imdb_id' ? externalId.toLowerCase() : null;
  const movies = catalog.movies.filter((m) => imdbId !== null && m.imdbId === imdbId);
  const series = catalog.series.filter((s) => imdbId !== null && s.imdbId === imdbId);
  return {
    status: 200,
    body: {
      movie_results: movies.map((m) => ({ ...movieResult(m), media_type: 'movie' })),
      person_results: [],
      tv_results: series.map((s) => ({ ...seriesResult(s), media_type: 'tv' })),
      tv_episode_results: [],
      tv_season_results: [],
    },
  };
}
