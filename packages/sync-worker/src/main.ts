#!/usr/bin/env node
// Pass 3 (ES_SYNC): the enriched row read back from PostgreSQL → Elasticsearch through the buffer.
// Beside it, what keeps the index following PostgreSQL: the reconciler's repeatable job (rows whose projection is
// missing or stale) and the deletion sweep (documents of deleted rows).
import { runWorkerMain, startProjectionRepairs, startSyncWorker } from '@minato/core';

runWorkerMain('sync-worker', async (runtime) => {
  const repairs = await startProjectionRepairs(runtime);
  return startSyncWorker(runtime, () => repairs.close());
});
