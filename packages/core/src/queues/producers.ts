import {
  BULK_JOB_HASHES,
  bulkJobName,
  jobOptions,
  type Payload,
  type QueueName,
  type QueueSet,
  type TypedQueue,
} from './job-catalog.js';

const ADD_BULK_CHUNK = 1_000;

/**
 * Adds one job per payload with `addBulk`; duplicates of a pending live job collapse, and so do jobs given the
 * `jobIds` of jobs BullMQ still holds. Returns the jobs sent.
 */
export async function enqueue<Q extends QueueName>(
  queues: QueueSet,
  queue: Q,
  payloads: readonly Payload<Q>[],
  jobIds?: readonly string[],
): Promise<number> {
  // BullMQ's conditional name type cannot be resolved for a generic Q; the payload is checked at this
  // function's signature, which is what callers see.
  const target = queues[queue] as TypedQueue<QueueName>;
  let added = 0;
  for (let i = 0; i < payloads.length; i += ADD_BULK_CHUNK) {
    const chunk = payloads.slice(i, i + ADD_BULK_CHUNK);
    await target.addBulk(
      chunk.map((data, j) => {
        const jobId = jobIds?.[i + j];
        return {
          name: 'infoHashes' in data ? bulkJobName(queue, data.infoHashes.length) : queue,
          data,
          opts: { ...jobOptions(queue, data), ...(jobId === undefined ? {} : { jobId }) },
        };
      }),
    );
    added += chunk.length;
  }
  return added;
}

/** One live job per torrent on `queue`: what a crawler enqueues, served ahead of every bulk job. */
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

/**
 * Bulk jobs of up to `BULK_JOB_HASHES` torrents on `queue`, for every producer that sends many torrents at
 * once (seed, `enqueue --all`, backfill, the reconciler, hand-offs of a bulk job). Returns the torrents enqueued.
 */
export async function enqueueBulk(
  queues: QueueSet,
  queue: QueueName,
  infoHashes: readonly string[],
): Promise<number> {
  const payloads: Payload<QueueName>[] = [];
  for (let i = 0; i < infoHashes.length; i += BULK_JOB_HASHES) {
    payloads.push({ infoHashes: infoHashes.slice(i, i + BULK_JOB_HASHES) });
  }
  await enqueue(queues, queue, payloads);
  return infoHashes.length;
}

/** A bulk job whose id its producer derives from what it carries, so that producers racing for it add it once. */
export interface IdentifiedBulkJob {
  id: string;
  infoHashes: readonly string[];
}

/**
 * Bulk jobs with ids of the producer's choosing (the feed's listeners, several replicas announcing the same
 * rows): an id BullMQ already holds, waiting, running or kept as completed, is not added again.
 */
export function enqueueIdentifiedBulk(
  queues: QueueSet,
  queue: QueueName,
  jobs: readonly IdentifiedBulkJob[],
): Promise<number> {
  return enqueue(
    queues,
    queue,
    jobs.map((job) => ({ infoHashes: [...job.infoHashes] })),
    jobs.map((job) => job.id),
  );
}
