/** One film as the catalog's table writes it; `buildCatalog` fills in what TMDB would add. */
export interface MovieSeed {
  title: string;
  /** year of the primary release; null for an announced title TMDB has no date for (it sends `""`) */
  year: number | null;
  /** years of later releases (re-releases, other countries): TMDB's `year` filter matches them too */
  alsoReleased?: number[];
  /** false when TMDB has no poster (it sends `null`) */
  poster?: false;
  /** true when TMDB's answer leaves out the original title altogether */
  noOriginal?: true;
  /** IMDb id, where known */
  imdb?: string;
  /** TMDB id, where known; otherwise one is assigned */
  tmdb?: number;
  rating: number;
  votes: number;
  /** space-separated genre names of `movieGenres` */
  genres: string;
  overview: string;
  /** when it differs from `title` */
  original?: string;
  /** ISO 639-1, `en` when absent */
  lang?: string;
}

/** One series as the catalog's table writes it; `year` is the year of the first air date. */
export interface SeriesSeed extends Omit<MovieSeed, 'genres'> {
  /** space-separated genre names of `tvGenres` */
  genres: string;
  /** ISO 3166-1, `US` when absent */
  country?: string;
  seasons?: number;
  /** year of the last air date; `year + seasons - 1` (a season a year) when absent */
  lastYear?: number;
}

export interface CatalogMovie {
  id: number;
  title: string;
  /** null when TMDB leaves the field out */
  originalTitle: string | null;
  originalLanguage: string;
  /** YYYY-MM-DD, or "" when TMDB does not know it */
  releaseDate: string;
  /** every year with a release: the primary one first */
  releaseYears: number[];
  imdbId: string | null;
  overview: string;
  posterPath: string | null;
  backdropPath: string;
  voteAverage: number;
  voteCount: number;
  popularity: number;
  genreIds: number[];
  runtime: number;
}

export interface CatalogSeries {
  id: number;
  name: string;
  /** null when TMDB leaves the field out */
  originalName: string | null;
  originalLanguage: string;
  /** YYYY-MM-DD, or "" when TMDB does not know it */
  firstAirDate: string;
  /** YYYY-MM-DD of the last episode aired, or null */
  lastAirDate: string | null;
  imdbId: string | null;
  overview: string;
  posterPath: string | null;
  backdropPath: string;
  voteAverage: number;
  voteCount: number;
  popularity: number;
  genreIds: number[];
  originCountry: string[];
  numberOfSeasons: number;
}

/** What the fake answers from. */
export interface Catalog {
  movies: readonly CatalogMovie[];
  series: readonly CatalogSeries[];
}
