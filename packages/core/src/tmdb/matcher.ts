import { matchConfidence } from './match-scoring.js';
import { yearOfTmdbDate, type TmdbMovieResult, type TmdbTvResult } from './schemas.js';
import type { TmdbApi } from './tmdb-client.js';

/** What the release parser knows about a torrent's title. */
export interface TmdbMatchQuery {
  type: 'movie' | 'tv';
  title: string;
  year: number | null;
  imdbId: string | null;
}

/** The TMDB title a release was matched to, in the shape the media table stores. */
export interface TmdbMatchedMedia {
  tmdbId: number;
  mediaType: 'movie' | 'tv';
  title: string;
  originalTitle: string;
  year: number | null;
  overview: string | null;
  posterPath: string | null;
  /** TMDB's vote average, null while nobody has voted */
  rating: number | null;
  voteCount: number;
  /** the IMDb id when the release named one; search answers do not carry it */
  imdbId: string | null;
}

export type TmdbMatchResult =
  | { status: 'matched'; confidence: number; media: TmdbMatchedMedia }
  | { status: 'no_match'; bestConfidence: number };

/** The part of TMDB the matcher calls, so a rate-limited or cached wrapper can stand in for the client. */
export type TmdbLookupApi = Pick<TmdbApi, 'searchMovie' | 'searchTv' | 'findByImdbId'>;

export interface TmdbMatcherOptions {
  api: TmdbLookupApi;
  /** the confidence below which the best candidate is not taken; 0.6 by default */
  threshold?: number;
}

/**
 * Confidences for scale: exact title and year 1; exact title, year one off or no year in the release 0.9;
 * leading article missing and year two off 0.71; exact title, year three or more off 0.5 (more often a
 * remake than the same film), which falls below.
 */
export const DEFAULT_MATCH_THRESHOLD = 0.6;

const imdbIdPattern = /^tt\d{7,9}$/;
const TRAILING_YEAR = /^(.*\S) ((?:19|20)\d\d)$/;

/**
 * Finds the TMDB title a parsed release names. One call in the usual case: /find for an IMDb id, else a
 * search with the year; a second search without the year only when the first finds nothing good enough
 * (empty, or only word-match noise below the threshold); for a series whose name ends in a year-like number
 * that matched nothing, the same again with that number as its first-air year. Titles are compared by their
 * TMDB title and original title alike, accents folded on both sides (`titleKey`). No details
 * call: search answers hold every stored field except the IMDb id, and halving the calls matters more
 * under TMDB's rate limit (docs/guarantees.md, "The TMDB limit holds across replicas").
 */
export class TmdbMatcher {
  private readonly api: TmdbLookupApi;
  private readonly threshold: number;

  constructor(options: TmdbMatcherOptions) {
    this.api = options.api;
    this.threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  }

  /** Matches one release; TMDB errors propagate as the client's typed errors. */
  async match(query: TmdbMatchQuery): Promise<TmdbMatchResult> {
    const imdbId = query.imdbId?.trim().toLowerCase() ?? '';
    if (imdbIdPattern.test(imdbId)) {
      const found = await this.findByImdbId(query.type, imdbId);
      if (found) return { status: 'matched', confidence: 1, media: found };
    }
    const title = query.title.trim();
    if (title === '') return { status: 'no_match', bestConfidence: 0 };
    const found = await this.searchBoth({ ...query, title });
    if (found.status === 'matched') return found;
    // `Show 2021 S04`: the parser keeps a year-like number before a season in the series' name; when no series
    // has that name, the number was its first-air year after all.
    const numbered = query.type === 'tv' && query.year === null ? TRAILING_YEAR.exec(title) : null;
    if (!numbered) return found;
    const dated = await this.searchBoth({ ...query, title: numbered[1] ?? '', year: Number(numbered[2]) });
    if (dated.status === 'matched') return dated;
    return { status: 'no_match', bestConfidence: Math.max(found.bestConfidence, dated.bestConfidence) };
  }

  // A search with the year, and one without it only when the first finds nothing good enough.
  private async searchBoth(query: TmdbMatchQuery): Promise<TmdbMatchResult> {
    const withYear = this.best(query, await this.search(query.type, query.title, query.year ?? undefined));
    if (withYear.status === 'matched' || query.year === null) return withYear;
    // The year filter may have left out the title (a release year one off) and kept only word-match noise.
    const withoutYear = this.best(query, await this.search(query.type, query.title, undefined));
    if (withoutYear.status === 'matched') return withoutYear;
    return {
      status: 'no_match',
      bestConfidence: Math.max(withYear.bestConfidence, withoutYear.bestConfidence),
    };
  }

  private async findByImdbId(type: TmdbMatchQuery['type'], imdbId: string): Promise<TmdbMatchedMedia | null> {
    const found = await this.api.findByImdbId(imdbId);
    const movies = found.movie_results.map(fromMovie);
    const series = found.tv_results.map(fromSeries);
    // The IMDb id outranks the parser's guess at the type: a result of the other type still counts.
    const [preferred, other] = type === 'movie' ? [movies, series] : [series, movies];
    const media = preferred[0] ?? other[0];
    return media ? { ...media, imdbId } : null;
  }

  private async search(
    type: TmdbMatchQuery['type'],
    title: string,
    year: number | undefined,
  ): Promise<TmdbMatchedMedia[]> {
    if (type === 'movie') return (await this.api.searchMovie(title, year)).results.map(fromMovie);
    return (await this.api.searchTv(title, year)).results.map(fromSeries);
  }

  // TMDB lists results by popularity, so on a tie the first (the better-known title) wins.
  private best(query: TmdbMatchQuery, candidates: readonly TmdbMatchedMedia[]): TmdbMatchResult {
    let best: { media: TmdbMatchedMedia; confidence: number } | null = null;
    for (const media of candidates) {
      const confidence = matchConfidence(query, media);
      if (best === null || confidence > best.confidence) best = { media, confidence };
    }
    if (best === null) return { status: 'no_match', bestConfidence: 0 };
    if (best.confidence < this.threshold) return { status: 'no_match', bestConfidence: best.confidence };
    return { status: 'matched', confidence: best.confidence, media: best.media };
  }
}

function fromMovie(movie: TmdbMovieResult): TmdbMatchedMedia {
  return {
    tmdbId: movie.id,
    mediaType: 'movie',
    title: movie.title,
    originalTitle: movie.original_title || movie.title,
    year: yearOfTmdbDate(movie.release_date),
    overview: movie.overview || null,
    posterPath: movie.poster_path || null,
    rating: movie.vote_count > 0 ? movie.vote_average : null,
    voteCount: movie.vote_count,
    imdbId: null,
  };
}

function fromSeries(series: TmdbTvResult): TmdbMatchedMedia {
  return {
    tmdbId: series.id,
    mediaType: 'tv',
    title: series.name,
    originalTitle: series.original_name || series.name,
    year: yearOfTmdbDate(series.first_air_date),
    overview: series.overview || null,
    posterPath: series.poster_path || null,
    rating: series.vote_count > 0 ? series.vote_average : null,
    voteCount: series.vote_count,
    imdbId: null,
  };
}
