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

/** The most torrents one bulk job may carry (the payload schema's limit). */
export const BULK_MAX_HASHES = 1_000;

/**
 * Torrents a bulk job carries as our producers send it: one PostgreSQL read and one `_bulk` request's worth. A
 * worker takes its next job, a live one first, when one of its bulk jobs completes (lifecycle/bulk-job-limiter.ts),
 * so a smaller job is a shorter wait for a live torrent behind a backlog, and fewer rows held; BullMQ's cost per job
 * is still paid once per 500 torrents. Jobs of up to BULK_MAX_HASHES, from an earlier version, are still accepted.
 */
export const BULK_JOB_HASHES = 500;

/**
 * Bulk jobs wait in BullMQ's prioritized set; jobs without a priority (the live form) sit in the wait list,
 * which every worker empties first, so a live torrent never queues behind a backlog of bulk jobs.
 */
export const BULK_PRIORITY = 10;

const infoHash = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a lowercase 40- or 64-character hex info hash');

/** The live form: one torrent, as a crawler enqueues it. */
const livePayload = z.object({ infoHash });

/** The bulk form: many torrents, from a backfill, a reconciler pass or a hand-off of another bulk job. */
const bulkPayload = z.object({ infoHashes: z.array(infoHash).min(1).max(BULK_MAX_HASHES) });

const torrentPayload = z.union([livePayload, bulkPayload]);

/** Each queue's payload schema: producers are typed by it, and a processor's first step parses `job.data` with it. */
export const payloadSchemas = {
  TORRENT_INGEST: torrentPayload,
  CLASSIFY: torrentPayload,
  ES_SYNC: torrentPayload,
} as const satisfies Record<QueueName, z.ZodType>;

export type Payload<Q extends QueueName> = z.infer<(typeof payloadSchemas)[Q]>;
export type LivePayload = z.infer<typeof livePayload>;
export type BulkPayload = z.infer<typeof bulkPayload>;

/** True for the bulk form `{ infoHashes }`. */
export function isBulk(payload: LivePayload | BulkPayload): payload is BulkPayload {
  return 'infoHashes' in payload;
}

/** The torrents a job carries, without duplicates (a bulk job may name one twice; once is enough). */
export function hashesOf(payload: LivePayload | BulkPayload): string[] {
  return isBulk(payload) ? [...new Set(payload.infoHashes)] : [payload.infoHash];
}

/** A bulk job's name carries its torrent count, so the backlog is counted in torrents without reading payloads. */
export function bulkJobName(queue: QueueName, torrents: number): string {
  return `${queue}:bulk:${torrents}`;
}

const BULK_JOB_NAME = /:bulk:(\d+)$/;

/** Torrents a job of this name carries: the count of a bulk job's name, else one. */
export function torrentsInJob(name: string): number {
  const match = BULK_JOB_NAME.exec(name);
  return match ? Number(match[1]) : 1;
}

/** True for a job in the bulk form: told by its name, or by its data for a job our producers did not name. */
export function isBulkJob(job: Pick<Job, 'name' | 'data'>): boolean {
  return BULK_JOB_NAME.test(job.name) || carriesHashes(job.data);
}

/** The form of raw job data is told by its key, before any schema says whether the rest is valid. */
function carriesHashes(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'infoHashes' in data;
}

/** A queue whose jobs carry its catalog payload: adding anything else is a compile error. */
export type TypedQueue<Q extends QueueName> = Queue<Payload<Q>>;

/** The three pipeline queues, each typed by its payload. */
export type QueueSet = { [Q in QueueName]: TypedQueue<Q> };

/**
 * Job options per queue, in one place. Live duplicates collapse through BullMQ deduplication keyed by the info
 * hash rather than a fixed job id: a fixed id would also block re-enqueueing a torrent whose earlier job
 * is kept as completed or failed, which the reconciler needs to do. Bulk jobs get BullMQ's own ids and no
 * deduplication: one key per hash would cost a Redis key per torrent, and a torrent in two jobs is written
 * twice with the same external version, the second write a harmless 409. They carry a priority, so live
 * jobs overtake them (BULK_PRIORITY).
 */
export function jobOptions<Q extends QueueName>(queue: Q, payload: Payload<Q>): JobsOptions {
  const common: JobsOptions = {
    ...(isBulk(payload) ? { priority: BULK_PRIORITY } : { deduplication: { id: payload.infoHash } }),
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
  // The form is told by its key, so the reason names the field at fault; a union's own error would only say
  // "Invalid input" when neither form fits.
  const result = (carriesHashes(job.data) ? bulkPayload : livePayload).safeParse(job.data);
  // Every queue takes both forms (payloadSchemas), so either parsed form is the queue's payload.
  if (result.success) return result.data as Payload<Q>;
  const reason = result.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
  throw new InvalidPayloadError(
    `invalid ${queue} payload: ${reason}, got ${JSON.stringify(job.data)?.slice(0, 200)}`,
    { queue },
  );
}
