export { LookupCache, type LookupAnswer, type LookupCacheOptions } from './lookup-cache.js';
export { rateLimited } from './rate-limited.js';
export {
  createEnrichmentProcessor,
  lookupKey,
  type EnrichmentProcessorOptions,
} from './enrichment-processor.js';
export { createTmdbMatcher } from './tmdb-matcher-factory.js';
