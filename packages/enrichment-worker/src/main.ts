#!/usr/bin/env node
// Pass 2 (CLASSIFY): release name → TMDB match under the shared token bucket and lookup cache → PostgreSQL → ES_SYNC.
import {
  LookupCache,
  MediaRepository,
  QUEUES,
  createEnrichmentProcessor,
  createTmdbMatcher,
  runWorkerMain,
  startWorkerProcess,
} from '@minato/core';

runWorkerMain('enrichment-worker', async (runtime) => {
  const media = new MediaRepository(runtime.sql);
  return startWorkerProcess({
    runtime,
    queue: QUEUES.classify,
    concurrency: runtime.config.ENRICHMENT_CONCURRENCY,
    processor: createEnrichmentProcessor({
      repository: runtime.repository,
      media,
      cache: new LookupCache({
        media,
        redis: runtime.redis,
        registry: runtime.registry,
        keyPrefix: `${runtime.config.QUEUE_PREFIX}:minato:tmdb-lookup-lock:`,
      }),
      matcher: createTmdbMatcher(runtime),
      syncQueue: runtime.queues.ES_SYNC,
      logger: runtime.logger,
    }),
  });
});
