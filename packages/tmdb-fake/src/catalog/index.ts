import { buildCatalog } from './build-catalog.js';
import { movieSeeds } from './movies.js';
import { seriesSeeds } from './series.js';

export { buildCatalog } from './build-catalog.js';
export { movieGenres, tvGenres } from './genres.js';
export type { Catalog, CatalogMovie, CatalogSeries, MovieSeed, SeriesSeed } from './types.js';

/** The catalog the fake ships: a few hundred real films and series. */
export const defaultCatalog = buildCatalog({ movies: movieSeeds, series: seriesSeeds });
