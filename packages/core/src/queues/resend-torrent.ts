import type { QueueName, QueueSet } from './job-catalog.js';
import { enqueueTorrents } from './producers.js';

/** How a torrent went back through a pass: its failed live job moved back to waiting, or a new live job. */
export type Resent = { how: 'retried'; jobId: string } | { how: 'enqueued' };

/**
 * Sends one torrent through `queue` again (the console's retry). The torrent's failed live job, if BullMQ still
 * keeps it among the latest `failedToScan`, moves back to waiting with its history; otherwise a new live job is
 * added. A failed bulk job is left alone: retrying it would re-run every torrent it carries.
 */
export async function resendTorrent(
  queues: QueueSet,
  queue: QueueName,
  infoHash: string,
  failedToScan = 200,
): Promise<Resent> {
  const failed = await queues[queue].getFailed(0, failedToScan - 1);
  // Only the live form names one `infoHash`; a failed job's data may be anything a producer sent.
  const job = failed.find((j) => (j.data as { infoHash?: unknown } | null)?.infoHash === infoHash);
  if (job?.id) {
    await job.retry('failed');
    return { how: 'retried', jobId: job.id };
  }
  await enqueueTorrents(queues, queue, [infoHash]);
  return { how: 'enqueued' };
}
