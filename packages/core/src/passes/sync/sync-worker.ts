import type { Runtime } from '../../lifecycle/runtime.js';
import type { WorkerProcess } from '../../lifecycle/worker-process.js';
import { PipelineChain } from '../chain.js';
import { startProjectionWorker } from '../projection-worker.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createSyncProcessor } from './sync-processor.js';

/** Pass 3's wiring: ES_SYNC jobs, the row read back from PostgreSQL and projected through the buffer. */
export function startSyncWorker(
  runtime: Runtime,
  /** more to stop once the worker stopped taking jobs (the sync image also runs the reconciler) */
  alsoOnDrain?: () => Promise<void>,
): Promise<WorkerProcess> {
  return startProjectionWorker(runtime, {
    queue: 'ES_SYNC',
    concurrency: runtime.config.SYNC_CONCURRENCY,
    processor: (projector) =>
      createSyncProcessor({
        projector,
        chain: new PipelineChain(runtime.queues),
        failures: createFailureRecorder(runtime),
      }),
    ...(alsoOnDrain ? { alsoOnDrain } : {}),
  });
}
