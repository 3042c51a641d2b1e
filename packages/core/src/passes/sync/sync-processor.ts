import type { TorrentProjector } from '../../search/indexing/torrent-projector.js';
import type { PipelineChain } from '../chain.js';
import { torrentProcessor, type FailureRecorder } from '../torrent-outcomes.js';

export interface SyncProcessorOptions {
  projector: TorrentProjector;
  chain: PipelineChain;
  failures: FailureRecorder;
}

/**
 * Pass 3 (ES_SYNC): re-reads the whole rows from PostgreSQL, the source of truth, and writes them with their
 * versions. A burst of updates to one row collapses into one waiting live job (deduplication by info hash); the
 * key is released as soon as the job starts, so an update landing after this read queues one more sync
 * instead of being swallowed. Bulk jobs carry no key: a torrent synced twice is written twice with its version.
 * A row renamed to another work had its match cleared on the way (`renameReview`): it goes back to pass 2.
 */
export function createSyncProcessor({ projector, chain, failures }: SyncProcessorOptions) {
  return torrentProcessor('ES_SYNC', failures, async (infoHashes, live, job) => {
    if (live) await job.removeDeduplicationKey();
    const { projected, failed } = await projector.projectJob(infoHashes, live);
    const reclassify = await chain.ingested(
      projected.filter((p) => p.reopened),
      live,
    );
    return { result: { synced: projected.length, reclassify }, failed };
  });
}
