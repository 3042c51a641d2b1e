import type { TorrentProjector } from '../../search/indexing/torrent-projector.js';
import type { PipelineChain } from '../chain.js';
import { torrentProcessor, type FailureRecorder } from '../torrent-outcomes.js';

export interface IngestProcessorOptions {
  projector: TorrentProjector;
  chain: PipelineChain;
  failures: FailureRecorder;
}

/**
 * Pass 1 (TORRENT_INGEST). A live job (one torrent) shares its read, its `_bulk` and its hand-off with the other
 * live jobs the worker runs at once; a bulk job reads its torrents in one query, sends them through the buffer
 * and hands the enrichable ones to CLASSIFY as one bulk job. A row PostgreSQL records as acknowledged at its version
 * is read but not written again. Either way a job completes only after Elasticsearch
 * acknowledged its documents, and a crash leaves it active, to be picked up again as stalled.
 */
export function createIngestProcessor({ projector, chain, failures }: IngestProcessorOptions) {
  return torrentProcessor('TORRENT_INGEST', failures, async (infoHashes, live) => {
    // A row already acknowledged at its version is not written again (the feed's catch-up re-sends rows whose
    // first job is still queued), but it is handed on as before: a job retried after a crash between its mark and
    // its hand-off must still hand them off, and pass 2 skips rows it already enriched.
    const { projected, failed } = await projector.projectJob(infoHashes, live, { skipAcknowledged: true });
    const classify = await chain.ingested(projected, live);
    const unchanged = projected.filter((p) => p.outcome === 'unchanged').length;
    return { result: { indexed: projected.length - unchanged, unchanged, classify }, failed };
  });
}
