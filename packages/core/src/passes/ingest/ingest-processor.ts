import type { Logger } from 'pino';
import { typedProcessor } from '../../queues/typed-processor.js';
import type { TorrentProjector } from '../../search/torrent-projector.js';
import type { PipelineChain } from '../chain.js';

export interface IngestProcessorOptions {
  projector: TorrentProjector;
  chain: PipelineChain;
  logger: Logger;
}

/**
 * Pass 1 (TORRENT_INGEST). BullMQ has no batch API, so batching comes from concurrency: the worker runs up
 * to a buffer's worth of jobs at once, each awaiting its own document's acknowledgement from the buffer's
 * shared `_bulk`. A job therefore never completes before its document is in Elasticsearch, and a crash
 * leaves every unacknowledged job active, to be picked up again as stalled.
 */
export function createIngestProcessor({ projector, chain, logger }: IngestProcessorOptions) {
  return typedProcessor('TORRENT_INGEST', async ({ infoHash }) => {
    const { torrent, release, outcome } = await projector.project(infoHash);
    const classify = await chain.ingested(
      { infoHash, title: torrent.title, enriched: torrent.enrichedAt !== null },
      release,
    );
    logger.debug({ infoHash, outcome, type: release.type, classify }, 'torrent indexed');
    return { outcome, classify };
  });
}
