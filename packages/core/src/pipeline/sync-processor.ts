import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { parsePayload } from '../queues/parse-payload.js';
import type { TorrentProjector } from './torrent-projector.js';
import { failFastOnPermanentErrors } from './unrecoverable.js';

export interface SyncProcessorOptions {
  projector: TorrentProjector;
  logger: Logger;
}

/**
 * Pass 3 (ES_SYNC): re-reads the whole row from PostgreSQL, the source of truth, and writes it with its
 * version. A burst of updates to one row collapses into one waiting job (deduplication by info hash); the
 * key is released as soon as the job starts, so an update landing after this read queues one more sync
 * instead of being swallowed.
 */
export function createSyncProcessor({ projector, logger }: SyncProcessorOptions) {
  return async (job: Job): Promise<{ outcome: string; version: number }> => {
    const { infoHash } = parsePayload('ES_SYNC', job);
    await job.removeDeduplicationKey();
    return failFastOnPermanentErrors(async () => {
      const { torrent, outcome } = await projector.project(infoHash);
      logger.debug(
        { infoHash, version: torrent.version, outcome, enriched: torrent.media !== null },
        'torrent synced',
      );
      return { outcome, version: torrent.version };
    });
  };
}
