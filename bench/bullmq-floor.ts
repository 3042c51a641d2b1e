import { createRuntime, jobOptions, QUEUES, startWorkerProcess, syntheticInfoHash } from '@minato/core';
import { freePort, type Harness } from '../test/support/pipeline-harness.js';
import { progress } from './progress.js';
import { usageSnapshot, usageTable } from './usage-meter.js';

export interface FloorResult {
  jobs: number;
  enqueueMs: number;
  drainMs: number;
  usage: string;
}

/**
 * What BullMQ alone costs: `count` TORRENT_INGEST jobs with the real job options, enqueued first, then
 * drained by core's worker process wiring with a processor that does nothing. No pass-1 design with one
 * job per torrent on one worker process can go faster than this drain.
 */
export async function measureBullmqFloor(
  h: Harness,
  count: number,
  concurrency: number,
): Promise<FloorResult> {
  const name = QUEUES.ingest;
  const queue = h.queues[name];
  const hashes = Array.from({ length: count }, (_, i) =>
    syntheticInfoHash(`bullmq-floor:${Date.now()}:${i}`),
  );
  progress(`BullMQ floor: enqueueing ${count} jobs`);
  const enqueueStarted = Date.now();
  for (let i = 0; i < hashes.length; i += 1_000) {
    await queue.addBulk(
      hashes
        .slice(i, i + 1_000)
        .map((infoHash) => ({ name, data: { infoHash }, opts: jobOptions(name, { infoHash }) })),
    );
  }
  const enqueueMs = Date.now() - enqueueStarted;
  const runtime = createRuntime(
    { ...h.config, METRICS_PORT: await freePort(), LOG_LEVEL: 'silent', INGEST_CONCURRENCY: concurrency },
    'ingest-worker',
  );
  let completed = 0;
  let allDone!: () => void;
  const drained = new Promise<void>((resolve) => (allDone = resolve));
  progress(`BullMQ floor: draining with a no-op processor, concurrency ${concurrency}`);
  const before = await usageSnapshot(h);
  const started = Date.now();
  const worker = await startWorkerProcess({
    runtime,
    queue: name,
    concurrency,
    processor: () => Promise.resolve(),
  });
  worker.worker.on('completed', () => {
    if (++completed === count) allDone();
  });
  const timeout = setTimeout(() => allDone(), 300_000);
  await drained;
  clearTimeout(timeout);
  const drainMs = Date.now() - started;
  const after = await usageSnapshot(h);
  await worker.drain();
  await worker.health.close();
  if (completed < count)
    throw new Error(`BullMQ floor: only ${completed}/${count} jobs completed in 5 minutes`);
  return {
    jobs: count,
    enqueueMs,
    drainMs,
    usage: usageTable(before, after, count, 'job', 'benchmark process (the no-op worker)'),
  };
}
