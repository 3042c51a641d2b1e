#!/usr/bin/env node
// Pass 1 (TORRENT_INGEST): PostgreSQL row → Elasticsearch through the buffer → CLASSIFY if enrichable.
import {
  QUEUES,
  TorrentProjector,
  createIndexBuffer,
  createIngestProcessor,
  runWorkerMain,
  startWorkerProcess,
} from '@minato/core';

runWorkerMain('ingest-worker', async (runtime) => {
  const buffer = await createIndexBuffer(runtime);
  return startWorkerProcess({
    runtime,
    queue: QUEUES.ingest,
    concurrency: runtime.config.INGEST_CONCURRENCY,
    processor: createIngestProcessor({
      projector: new TorrentProjector(runtime.repository, buffer),
      classifyQueue: runtime.queues.CLASSIFY,
      logger: runtime.logger,
    }),
    onDrain: (deadlineMs) => buffer.close(deadlineMs),
  });
});
