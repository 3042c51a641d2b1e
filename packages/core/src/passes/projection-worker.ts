import type { Runtime } from '../lifecycle/runtime.js';
import { createIndexBuffer } from '../lifecycle/index-buffer.js';
import { startWorkerProcess, type WorkerProcess } from '../lifecycle/worker-process.js';
import type { JobProcessor } from '../queues/typed-processor.js';
import { TorrentProjector } from '../search/indexing/torrent-projector.js';
import { renameReview } from './rename-review.js';

export interface ProjectionWorkerOptions {
  queue: 'TORRENT_INGEST' | 'ES_SYNC';
  concurrency: number;
  processor: (projector: TorrentProjector) => JobProcessor;
  /** more to stop once the worker stopped taking jobs, beside the buffer's final flush */
  alsoOnDrain?: () => Promise<void>;
}

/** Passes 1 and 3 share this wiring: a buffer on the index alias, a projector over it, the buffer flushed on drain. */
export async function startProjectionWorker(
  runtime: Runtime,
  { queue, concurrency, processor, alsoOnDrain }: ProjectionWorkerOptions,
): Promise<WorkerProcess> {
  const buffer = await createIndexBuffer(runtime);
  return startWorkerProcess({
    runtime,
    queue,
    concurrency,
    processor: processor(new TorrentProjector(runtime.torrents, buffer, renameReview(runtime.torrents))),
    // Stay open while the worker finishes what it took, sending at once instead of on timers; then flush and close.
    onDrainStart: () => buffer.hurry(),
    onDrain: async (deadlineMs) => {
      await Promise.all([buffer.close(deadlineMs), alsoOnDrain?.()]);
    },
  });
}
