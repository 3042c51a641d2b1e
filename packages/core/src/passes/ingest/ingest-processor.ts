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
 * and hands the enrichable ones to CLASSIFY as one bulk job. Either way a job completes only after Elasticsearch
 * acknowledged its documents, and a crash leaves it active, to be picked up again as stalled.
 */
export function createIngestProcessor({ projector, chain, failures }: IngestProcessorOptions) {
  return torrentProcessor('TORRENT_INGEST', failures, async (infoHashes, live) => {
    const { projected, failed } = await projector.projectJob(infoHashes, live);
    const classify = await chain.ingested(projected, live);
    return { result: { indexed: projected.length, classify }, failed };
  });
}
