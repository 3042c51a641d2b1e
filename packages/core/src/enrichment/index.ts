export { LookupCache, type LookupAnswer, type LookupCacheOptions } from './lookup-cache.js';
export { rateLimited } from './rate-limited.js';
export {
  createEnrichmentProcessor,
  lookupKey,
  type EnrichmentProcessorOptions,
  type MatchQuery,
} from './enrichment-processor.js';
