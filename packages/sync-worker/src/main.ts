#!/usr/bin/env node
// Pass 3 (ES_SYNC): the enriched row read back from PostgreSQL → Elasticsearch through the buffer.
// Also runs the reconciler's repeatable job, which re-enqueues rows whose projection is missing or stale, and
// the deletion sweep, which removes the documents of deleted rows.
import {
  CheckpointRepository,
  DeletionRepository,
  DeletionSweeper,
  runWorkerMain,
  startReconcileScheduler,
  startSyncWorker,
} from '@minato/core';

runWorkerMain('sync-worker', async (runtime) => {
  const { config } = runtime;
  const deletions = new DeletionSweeper({
    deletions: new DeletionRepository(runtime.sql),
    search: runtime.search,
    index: config.ELASTICSEARCH_INDEX,
    logger: runtime.logger,
    registry: runtime.registry,
    keepDoneMs: config.DELETION_KEEP_MS,
  });
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
      repairIndex: true,
      deletions,
    },
    logger: runtime.logger,
  });
  const worker = await startSyncWorker(runtime, async () => {
    await Promise.all([reconciler.close(), deletions.close()]);
  });
  // After the worker's start, which puts the index in place for the deletes to find.
  deletions.start(config.DELETION_POLL_MS);
  return worker;
});
