import type { Logger } from 'pino';
import { typedProcessor } from '../../queues/typed-processor.js';
import type { TorrentProjector } from '../../search/torrent-projector.js';

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
  return typedProcessor('ES_SYNC', async ({ infoHash }, job) => {
    await job.removeDeduplicationKey();
    const { torrent, outcome } = await projector.project(infoHash);
    logger.debug(
      { infoHash, version: torrent.version, outcome, enriched: torrent.media !== null },
      'torrent synced',
    );
    return { outcome, version: torrent.version };
  });
}
