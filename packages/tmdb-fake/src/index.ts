export {
  startTmdbFake,
  DEFAULT_API_KEY,
  type TmdbFake,
  type TmdbFakeOptions,
  type LoggedRequest,
} from './tmdb-fake.js';
export { parseFaultMode, type FaultKind, type FaultMode, type FaultState } from './fault-mode.js';
export { searchWords } from './search.js';
export {
  buildCatalog,
  defaultCatalog,
  movieGenres,
  tvGenres,
  type Catalog,
  type CatalogMovie,
  type CatalogSeries,
  type MovieSeed,
  type SeriesSeed,
} from './catalog/index.js';
