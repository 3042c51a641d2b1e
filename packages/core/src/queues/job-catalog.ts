import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

export const QUEUES = {
  ingest: 'TORRENT_INGEST',
  classify: 'CLASSIFY',
  sync: 'ES_SYNC',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const infoHashPayload = z.object({
  infoHash: z
    .string()
    .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a lowercase 40- or 64-character hex info hash'),
});

/** Each queue's payload schema: a processor's first step parses `job.data` with it. */
export const payloadSchemas = {
  TORRENT_INGEST: infoHashPayload,
  CLASSIFY: infoHashPayload,
  ES_SYNC: infoHashPayload,
} as const satisfies Record<QueueName, z.ZodType>;

export type Payload<Q extends QueueName> = z.infer<(typeof payloadSchemas)[Q]>;

/**
 * Job options per queue, in one place. Duplicates collapse through BullMQ deduplication keyed by the info
 * hash rather than a fixed job id: a fixed id would also block re-enqueueing a torrent whose earlier job
 * is kept as completed or failed, which the reconciler needs to do.
 */
export function jobOptions(queue: QueueName, infoHash: string): JobsOptions {
  const common: JobsOptions = {
    deduplication: { id: infoHash },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
  switch (queue) {
    case 'TORRENT_INGEST':
      return { ...common, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
    case 'CLASSIFY':
      // 5xx and timeouts from TMDB: three tries with exponential backoff (issue 5).
      return { ...common, attempts: 3, backoff: { type: 'exponential', delay: 2_000 } };
    case 'ES_SYNC':
      return { ...common, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } };
  }
}
