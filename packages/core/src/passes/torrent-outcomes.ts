import type { Job } from 'bullmq';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { DeletionRepository } from '../db/deletion-repository.js';
import { FailureRepository } from '../db/failure-repository.js';
import { TorrentNotFoundError } from '../errors.js';
import type { Runtime } from '../lifecycle/runtime.js';
import { createTorrentFailureCounter } from '../metrics/torrent-failure-metrics.js';
import { hashesOf, isBulk, type QueueName } from '../queues/job-catalog.js';
import { typedProcessor, type JobProcessor } from '../queues/typed-processor.js';
import type { FailedTorrent } from '../torrents/settle-torrents.js';

/** What a pass did with a job's torrents: its result, and the torrents that failed for good. */
export interface TorrentOutcomes<R extends object> {
  result: R;
  failed: FailedTorrent[];
}

/**
 * Where permanent per-torrent failures go: `torrent_failures` in PostgreSQL and a counter. A torrent whose row is
 * missing because it was deleted (the deletion record has it) is no failure: its job did what there was to do.
 */
export interface FailureRecorder {
  repository: Pick<FailureRepository, 'record'>;
  deletions: Pick<DeletionRepository, 'recorded'>;
  counter: Counter<'queue'>;
  logger: Logger;
}

/**
 * A queue's processor over the torrents a job carries, in either form. A permanent failure of one torrent is
 * recorded and the job's other torrents complete; a live job (one torrent) still fails with that reason, as the
 * seed's contract says. A transient error thrown by `handle` retries the whole job: every write carries its
 * external version, so writing a torrent again is harmless.
 */
export function torrentProcessor<Q extends QueueName, R extends object>(
  queue: Q,
  recorder: FailureRecorder,
  handle: (infoHashes: string[], live: boolean, job: Job) => Promise<TorrentOutcomes<R>>,
): JobProcessor<R & { torrents: number; failed: number; deleted: number }> {
  // How many bulk jobs run at once is the worker's business (lifecycle/bulk-job-limiter.ts).
  return typedProcessor(queue, async (payload, job) => {
    const hashes = hashesOf(payload);
    const live = !isBulk(payload);
    const outcomes = await handle(hashes, live, job);
    const { result } = outcomes;
    const missing = outcomes.failed.filter((f) => f.error instanceof TorrentNotFoundError);
    const deleted =
      missing.length > 0 ? await recorder.deletions.recorded(missing.map((f) => f.infoHash)) : new Set();
    const failed = outcomes.failed.filter((f) => !deleted.has(f.infoHash));
    if (failed.length > 0) {
      await recorder.repository.record(
        queue,
        failed.map((f) => ({ infoHash: f.infoHash, reason: f.error.message })),
      );
      recorder.counter.inc({ queue }, failed.length);
      recorder.logger.warn(
        { queue, jobId: job.id, failed: failed.length, first: failed[0]?.error.message },
        'torrents failed permanently',
      );
      if (live && failed[0]) throw failed[0].error;
    }
    return { ...result, torrents: hashes.length, failed: failed.length, deleted: deleted.size };
  });
}

/** The failure recorder of a worker process: its PostgreSQL table and its registry's counter. */
export function createFailureRecorder(runtime: Runtime): FailureRecorder {
  const existing = runtime.registry.getSingleMetric('minato_torrent_failures_total');
  return {
    repository: new FailureRepository(runtime.sql),
    deletions: new DeletionRepository(runtime.sql),
    counter: (existing as Counter<'queue'> | undefined) ?? createTorrentFailureCounter(runtime.registry),
    logger: runtime.logger,
  };
}
