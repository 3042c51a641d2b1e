import type { Runtime } from '../../lifecycle/runtime.js';
import { createIndexBuffer } from '../../lifecycle/index-buffer.js';
import { startWorkerProcess, type WorkerProcess } from '../../lifecycle/worker-process.js';
import { TorrentProjector } from '../../search/torrent-projector.js';
import { PipelineChain } from '../chain.js';
import { createFailureRecorder } from '../torrent-outcomes.js';
import { createIngestProcessor } from './ingest-processor.js';

/** Pass 1's wiring: TORRENT_INGEST jobs, projected through the buffer, handed on by the chain. */
export async function startIngestWorker(runtime: Runtime): Promise<WorkerProcess> {
  const buffer = await createIndexBuffer(runtime);
  return startWorkerProcess({
    runtime,
    queue: 'TORRENT_INGEST',
    concurrency: runtime.config.INGEST_CONCURRENCY,
    processor: createIngestProcessor({
      projector: new TorrentProjector(runtime.torrents, buffer),
      chain: new PipelineChain(runtime.queues),
      failures: createFailureRecorder(runtime),
    }),
    onDrain: (deadlineMs) => buffer.close(deadlineMs),
  });
}
