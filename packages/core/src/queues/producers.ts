import { jobOptions, type Payload, type QueueName, type QueueSet, type TypedQueue } from './job-catalog.js';

const ADD_BULK_CHUNK = 1_000;

/** Adds one job per payload with `addBulk`; duplicates of a pending job collapse. Returns the jobs added. */
export async function enqueue<Q extends QueueName>(
  queues: QueueSet,
  queue: Q,
  payloads: readonly Payload<Q>[],
): Promise<number> {
  // BullMQ's conditional name type cannot be resolved for a generic Q; the payload is checked at this
  // function's signature, which is what callers see.
  const target = queues[queue] as TypedQueue<QueueName>;
  let added = 0;
  for (let i = 0; i < payloads.length; i += ADD_BULK_CHUNK) {
    const chunk = payloads.slice(i, i + ADD_BULK_CHUNK);
    await target.addBulk(chunk.map((data) => ({ name: queue, data, opts: jobOptions(queue, data) })));
    added += chunk.length;
  }
  return added;
}

/** One job per torrent on `queue`: the payload every pipeline queue takes. */
export function enqueueTorrents(
  queues: QueueSet,
  queue: QueueName,
  infoHashes: readonly string[],
): Promise<number> {
  return enqueue(
    queues,
    queue,
    infoHashes.map((infoHash) => ({ infoHash })),
  );
}
