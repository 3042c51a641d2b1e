import { startWorkerProcess, type WorkerProcess } from '../../lifecycle/worker-process.js';
import type { Runtime } from '../../lifecycle/runtime.js';
import { tmdbBucketKey } from '../../queues/redis-keys.js';
import { PipelineChain } from '../chain.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createEnrichmentProcessor } from './enrichment-processor.js';
import { LookupCache } from './lookup-cache.js';
import { createTmdbMatcher } from './tmdb-lookups.js';

/** Pass 2's wiring: CLASSIFY jobs, matched on TMDB through the shared cache and token bucket. */
export function startEnrichmentWorker(runtime: Runtime): Promise<WorkerProcess> {
  const { config, keys } = runtime;
  const tmdb = createTmdbMatcher({
    baseUrl: config.TMDB_BASE_URL,
    apiKey: config.TMDB_API_KEY,
    timeoutMs: config.TMDB_TIMEOUT_MS,
    redis: runtime.redis,
    bucketKey: tmdbBucketKey(config.TMDB_BASE_URL, config.TMDB_API_KEY ?? ''),
    capacity: config.TMDB_RATE_CAPACITY,
    refillPerSecond: config.TMDB_RATE_REFILL_PER_SEC,
    registry: runtime.registry,
    rootLogger: runtime.rootLogger,
    logger: runtime.logger,
  });
  const cache = new LookupCache({
    media: runtime.media,
    redis: runtime.redis,
    registry: runtime.registry,
    keyPrefix: keys.tmdbLookupLockPrefix,
  });
  return startWorkerProcess({
    runtime,
    queue: 'CLASSIFY',
    concurrency: config.ENRICHMENT_CONCURRENCY,
    probes: { tmdb: tmdb.probe },
    processor: createEnrichmentProcessor({
      repository: runtime.torrents,
      cache,
      matcher: tmdb.matcher,
      chain: new PipelineChain(runtime.queues),
      failures: createFailureRecorder(runtime),
      logger: runtime.logger,
    }),
  });
}
