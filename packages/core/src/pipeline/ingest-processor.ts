import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { enqueueByInfoHash } from '../queues/producers.js';
import { parsePayload } from '../queues/parse-payload.js';
import { MicroBatcher } from '../util/micro-batcher.js';
import type { TorrentProjector } from './torrent-projector.js';
import { failFastOnPermanentErrors } from './unrecoverable.js';

export interface IngestProcessorOptions {
  projector: TorrentProjector;
  classifyQueue: Queue;
  logger: Logger;
}

/**
 * Pass 1 (TORRENT_INGEST). BullMQ has no batch API, so batching comes from concurrency: the worker runs up
 * to a buffer's worth of jobs at once, each awaiting its own document's acknowledgement from the buffer's
 * shared `_bulk`. A job therefore never completes before its document is in Elasticsearch, and a crash
 * leaves every unacknowledged job active, to be picked up again as stalled.
 */
export function createIngestProcessor({ projector, classifyQueue, logger }: IngestProcessorOptions) {
  const classify = new MicroBatcher<string, undefined>(async (hashes) => {
    await enqueueByInfoHash(classifyQueue, hashes);
    return hashes.map(() => undefined);
  });

  return async (job: Job): Promise<{ outcome: string; classify: boolean }> => {
    const { infoHash } = parsePayload('TORRENT_INGEST', job);
    return failFastOnPermanentErrors(async () => {
      const { torrent, release, outcome } = await projector.project(infoHash);
      const needsEnrichment = release.enrichable && torrent.enrichedAt === null;
      if (needsEnrichment) await classify.call(infoHash);
      logger.debug({ infoHash, outcome, type: release.type, classify: needsEnrichment }, 'torrent indexed');
      return { outcome, classify: needsEnrichment };
    });
  };
}
