import { z } from 'zod';
import type { Job, JobsOptions, Queue } from 'bullmq';
import { InvalidPayloadError } from '../errors.js';

/** The pipeline's queues, by the pass they feed (pass 2, enrichment, is fed by CLASSIFY). */
export const QUEUES = {
  ingest: 'TORRENT_INGEST',
  classify: 'CLASSIFY',
  sync: 'ES_SYNC',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const torrentPayload = z.object({
  infoHash: z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a lowercase 40- or 64-character hex info hash'),
});

/** Each queue's payload schema: producers are typed by it, and a processor's first step parses `job.data` with it. */
export const payloadSchemas = {
  TORRENT_INGEST: torrentPayload,
  CLASSIFY: torrentPayload,
  ES_SYNC: torrentPayload,
} as const satisfies Record<QueueName, z.ZodType>;

export type Payload<Q extends QueueName> = z.infer<(typeof payloadSchemas)[Q]>;

/** A queue whose jobs carry its catalog payload: adding anything else is a compile error. */
export type TypedQueue<Q extends QueueName> = Queue<Payload<Q>>;

/** The three pipeline queues, each typed by its payload. */
export type QueueSet = { [Q in QueueName]: TypedQueue<Q> };

/**
 * Job options per queue, in one place. Duplicates collapse through BullMQ deduplication keyed by the info
 * hash rather than a fixed job id: a fixed id would also block re-enqueueing a torrent whose earlier job
 * is kept as completed or failed, which the reconciler needs to do.
 */
export function jobOptions<Q extends QueueName>(queue: Q, payload: Payload<Q>): JobsOptions {
  const common: JobsOptions = {
    deduplication: { id: payload.infoHash },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
  switch (queue) {
    case 'TORRENT_INGEST':
    case 'ES_SYNC':
      return { ...common, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
    case 'CLASSIFY':
      // TMDB's 5xx and timeouts: three tries with exponential backoff (docs/guarantees.md, "Only bad input fails a job").
      return { ...common, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } };
  }
}

/**
 * A processor's first step. An invalid payload can never succeed: InvalidPayloadError is permanent, so the job
 * fails at once with the schema's reason in `failedReason`.
 */
export function parsePayload<Q extends QueueName>(queue: Q, job: Pick<Job, 'data'>): Payload<Q> {
  const result = payloadSchemas[queue].safeParse(job.data);
  if (result.success) return result.data;
  const reason = result.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
  throw new InvalidPayloadError(
    `invalid ${queue} payload: ${reason}, got ${JSON.stringify(job.data)?.slice(0, 200)}`,
    { queue },
  );
}
