#!/usr/bin/env node
// Pass 3 (ES_SYNC): the enriched row read back from PostgreSQL → Elasticsearch through the buffer.
// Also runs the reconciler's repeatable job, which re-enqueues rows whose projection is missing or stale.
import {
  QUEUES,
  TorrentProjector,
  createIndexBuffer,
  createSyncProcessor,
  runWorkerMain,
  startReconcileScheduler,
  startWorkerProcess,
} from '@minato/core';

runWorkerMain('sync-worker', async (runtime) => {
  const buffer = await createIndexBuffer(runtime);
  const reconciler = await startReconcileScheduler(runtime, runtime.logger);
  return startWorkerProcess({
    runtime,
    queue: QUEUES.sync,
    concurrency: runtime.config.SYNC_CONCURRENCY,
    processor: createSyncProcessor({
      projector: new TorrentProjector(runtime.repository, buffer),
      logger: runtime.logger,
    }),
    onDrain: async (deadlineMs) => {
      await Promise.all([buffer.close(deadlineMs), reconciler.close()]);
    },
  });
});
