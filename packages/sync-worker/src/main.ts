#!/usr/bin/env node
// Pass 3 (ES_SYNC): the enriched row read back from PostgreSQL → Elasticsearch through the buffer.
// Also runs the reconciler's repeatable job, which re-enqueues rows whose projection is missing or stale.
import { CheckpointRepository, runWorkerMain, startReconcileScheduler, startSyncWorker } from '@minato/core';

runWorkerMain('sync-worker', async (runtime) => {
  const { config } = runtime;
  const reconciler = await startReconcileScheduler({
    redis: runtime.redis,
    prefix: runtime.keys.bullmq,
    everyMs: config.RECONCILE_EVERY_MS,
    reconcile: {
      repository: runtime.torrents,
      search: runtime.search,
      index: config.ELASTICSEARCH_INDEX,
      queues: runtime.queues,
      checkpoints: new CheckpointRepository(runtime.sql),
      fullEveryMs: config.RECONCILE_FULL_EVERY_MS,
      repairIndex: { replicas: config.SEARCH_INDEX_REPLICAS },
    },
    logger: runtime.logger,
  });
  return startSyncWorker(runtime, () => reconciler.close());
});
