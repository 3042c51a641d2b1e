import type { Catalog, CatalogMovie, CatalogSeries } from './catalog/index.js';

/** TMDB pages hold 20 results. */
export const PAGE_SIZE = 20;

/**
 * Words as TMDB's search sees them: case, accents and punctuation do not matter, `&` is `and`, and an
 * apostrophe joins (`Ocean's` is `oceans`). Deliberately not shared with core's matcher: the fake stands in
 * for an outside service and must not agree with the client by construction.
 */
export function searchWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

// Every word of the query must be a word of the title, except the last, which may be a prefix (TMDB
// searches as you type).
function matches(queryWords: readonly string[], titles: readonly string[]): boolean {
  return titles.some((title) => {
    const words = searchWords(title);
    return queryWords.every((queryWord, i) =>
      i === queryWords.length - 1
        ? words.some((word) => word.startsWith(queryWord))
        : words.includes(queryWord),
    );
  });
}

function isExact(queryWords: readonly string[], titles: readonly string[]): boolean {
  const query = queryWords.join(' ');
  return titles.some((title) => searchWords(title).join(' ') === query);
}

// An elided article is found joined or apart, as on TMDB: `d'Amélie` by `damelie` and by `d amelie` (a release
// name that lost its apostrophe).
function withApostrophesSplit(title: string): string[] {
  const split = title.replace(/['’`]/g, ' ');
  return split === title ? [title] : [title, split];
}

// Like TMDB: titles that are exactly the query come first, then by popularity, so "Ring" is not pushed to
// page 2 by every "Lord of the Rings".
function rank<T extends { popularity: number }>(
  queryWords: readonly string[],
  records: readonly T[],
  titlesOf: (record: T) => string[],
): T[] {
  return records
    .map((record) => ({ record, titles: titlesOf(record).flatMap(withApostrophesSplit) }))
    .filter(({ titles }) => matches(queryWords, titles))
    .map(({ record, titles }) => ({ record, exact: isExact(queryWords, titles) }))
    .sort((a, b) => Number(b.exact) - Number(a.exact) || b.record.popularity - a.record.popularity)
    .map(({ record }) => record);
}

function yearOf(date: string | null): number | null {
  return date ? Number(date.slice(0, 4)) : null;
}

/**
 * The year filters of a search, as TMDB documents them: for films `primary_release_year` matches the
 * primary release only and `year` any release; for series `first_air_date_year` the first air date only and
 * `year` any air date of the series. An entry without a date matches no year.
 */
export interface YearFilter {
  first?: number;
  any?: number;
}

const titlesOf = (...titles: (string | null)[]) => titles.filter((t): t is string => t !== null);

/** Films whose title or original title holds every query word, within the year filter, ranked as TMDB does. */
export function searchMovies(catalog: Catalog, query: string, years: YearFilter = {}): CatalogMovie[] {
  const words = searchWords(query);
  if (words.length === 0) return [];
  const inYear = catalog.movies.filter(
    (movie) =>
      (years.first === undefined || yearOf(movie.releaseDate) === years.first) &&
      (years.any === undefined || movie.releaseYears.includes(years.any)),
  );
  return rank(words, inYear, (movie) => titlesOf(movie.title, movie.originalTitle));
}

/** Series whose name or original name holds every query word, within the year filter, ranked as TMDB does. */
export function searchSeries(catalog: Catalog, query: string, years: YearFilter = {}): CatalogSeries[] {
  const words = searchWords(query);
  if (words.length === 0) return [];
  const aired = (series: CatalogSeries, year: number) => {
    const first = yearOf(series.firstAirDate);
    const last = yearOf(series.lastAirDate) ?? first;
    return first !== null && last !== null && year >= first && year <= last;
  };
  const inYear = catalog.series.filter(
    (series) =>
      (years.first === undefined || yearOf(series.firstAirDate) === years.first) &&
      (years.any === undefined || aired(series, years.any)),
  );
  return rank(words, inYear, (series) => titlesOf(series.name, series.originalName));
}
