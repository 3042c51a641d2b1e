import type { Runtime } from '../../lifecycle/runtime.js';
import { createIndexBuffer } from '../../lifecycle/index-buffer.js';
import { startWorkerProcess, type WorkerProcess } from '../../lifecycle/worker-process.js';
import { TorrentProjector } from '../../search/torrent-projector.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createSyncProcessor } from './sync-processor.js';

/** Pass 3's wiring: ES_SYNC jobs, the row read back from PostgreSQL and projected through the buffer. */
export async function startSyncWorker(
  runtime: Runtime,
  /** more to stop once the worker stopped taking jobs (the sync image also runs the reconciler) */
  alsoOnDrain: () => Promise<void> = () => Promise.resolve(),
): Promise<WorkerProcess> {
  const buffer = await createIndexBuffer(runtime);
  return startWorkerProcess({
    runtime,
    queue: 'ES_SYNC',
    concurrency: runtime.config.SYNC_CONCURRENCY,
    processor: createSyncProcessor({
      projector: new TorrentProjector(runtime.torrents, buffer),
      failures: createFailureRecorder(runtime),
    }),
    onDrain: async (deadlineMs) => {
      await Promise.all([buffer.close(deadlineMs), alsoOnDrain()]);
    },
  });
}
