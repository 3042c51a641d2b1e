import type { Runtime } from '../../lifecycle/runtime.js';
import type { WorkerProcess } from '../../lifecycle/worker-process.js';
import { PipelineChain } from '../chain.js';
import { startProjectionWorker } from '../projection-worker.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createIngestProcessor } from './ingest-processor.js';

/** Pass 1's wiring: TORRENT_INGEST jobs, projected through the buffer, handed on by the chain. */
export function startIngestWorker(runtime: Runtime): Promise<WorkerProcess> {
  const chain = new PipelineChain(runtime.queues);
  return startProjectionWorker(runtime, {
    queue: 'TORRENT_INGEST',
    concurrency: runtime.config.INGEST_CONCURRENCY,
    processor: (projector) =>
      createIngestProcessor({ projector, chain, failures: createFailureRecorder(runtime) }),
  });
}
