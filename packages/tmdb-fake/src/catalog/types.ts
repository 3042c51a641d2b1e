/** One film as the catalog's table writes it; `buildCatalog` fills in what TMDB would add. */
export interface MovieSeed {
  title: string;
  year: number;
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
}

export interface CatalogMovie {
  id: number;
  title: string;
  originalTitle: string;
  originalLanguage: string;
  /** YYYY-MM-DD */
  releaseDate: string;
  imdbId: string | null;
  overview: string;
  posterPath: string;
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
  originalName: string;
  originalLanguage: string;
  /** YYYY-MM-DD */
  firstAirDate: string;
  imdbId: string | null;
  overview: string;
  posterPath: string;
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
