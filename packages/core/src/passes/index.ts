export { PipelineChain, needsEnrichment, type IngestedTorrent } from './chain.js';
export { createIngestProcessor, type IngestProcessorOptions } from './ingest/ingest-processor.js';
export { startIngestWorker } from './ingest/ingest-worker.js';
export {
  createEnrichmentProcessor,
  lookupKey,
  type EnrichmentProcessorOptions,
} from './enrichment/enrichment-processor.js';
export { startEnrichmentWorker } from './enrichment/enrichment-worker.js';
export { LookupCache, type LookupAnswer, type LookupCacheOptions } from './enrichment/lookup-cache.js';
export { rateLimited } from './enrichment/rate-limited.js';
export { createTmdbMatcher, type TmdbLookups, type TmdbLookupsOptions } from './enrichment/tmdb-lookups.js';
export { createSyncProcessor, type SyncProcessorOptions } from './sync/sync-processor.js';
export { startSyncWorker } from './sync/sync-worker.js';
export {
  createFailureRecorder,
  torrentProcessor,
  type FailureRecorder,
  type TorrentOutcomes,
} from './torrent-outcomes.js';
