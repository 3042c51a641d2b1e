import { startFeed } from '../../feed/start-feed.js';
import type { Runtime } from '../../lifecycle/runtime.js';
import type { WorkerProcess } from '../../lifecycle/worker-process.js';
import { PipelineChain } from '../chain.js';
import { startProjectionWorker } from '../projection-worker.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createIngestProcessor } from './ingest-processor.js';

/**
 * Pass 1's wiring: TORRENT_INGEST jobs, projected through the buffer, handed on by the chain; and the feed's
 * listener, which turns rows a crawler only wrote into those jobs (FEED=notify).
 */
export function startIngestWorker(runtime: Runtime): Promise<WorkerProcess> {
  const chain = new PipelineChain(runtime.queues);
  // The feed only adds jobs, which wait in Redis until the worker takes them: it may start first.
  const feed = startFeed(runtime);
  return startProjectionWorker(runtime, {
    queue: 'TORRENT_INGEST',
    concurrency: runtime.config.INGEST_CONCURRENCY,
    processor: (projector) =>
      createIngestProcessor({ projector, chain, failures: createFailureRecorder(runtime) }),
    alsoOnDrain: async () => feed?.close(),
  });
}
