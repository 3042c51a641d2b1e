import { startWorkerProcess, type WorkerProcess } from '../../lifecycle/worker-process.js';
import type { Runtime } from '../../lifecycle/runtime.js';
import { redisTlsOptions } from '../../queues/redis-client.js';
import { tmdbBucketKey } from '../../queues/redis-keys.js';
import { redisTarget } from '../../queues/redis-target.js';
import type { GrantFence } from '../../rate-limit/grant-fence.js';
import { sentinelGrantFence } from '../../rate-limit/sentinel-grant-fence.js';
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
    fence: grantFenceFor(runtime),
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

/**
 * Sentinel mode fences the bucket's grants: a demoted master keeps granting (and refilling) until it hears of its
 * demotion, seconds after its replica took over. A single Redis has no failover, and a Redis Cluster fails over
 * either a dead master (which grants nothing) or, with CLUSTER FAILOVER, after the replica caught up with it.
 */
function grantFenceFor(runtime: Runtime): GrantFence | undefined {
  const target = redisTarget(runtime.config);
  if (target.mode !== 'sentinel') return undefined;
  return sentinelGrantFence({
    redis: runtime.redis,
    sentinels: target.sentinels,
    name: target.name,
    sentinelPassword: target.sentinelPassword,
    tls: redisTlsOptions(target),
    logger: runtime.logger,
  });
}
