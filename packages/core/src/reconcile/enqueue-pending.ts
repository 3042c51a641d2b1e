import type { PendingPass, TorrentRepository } from '../db/torrent-repository.js';
import { needsEnrichment } from '../passes/chain.js';
import { QUEUES, type QueueSet } from '../queues/job-catalog.js';
import { enqueueTorrents } from '../queues/producers.js';

export interface EnqueuePendingOptions {
  repository: TorrentRepository;
  queues: QueueSet;
  pass: PendingPass;
  pageSize?: number;
  /** called after each page with the rows scanned and the jobs added so far */
  onPage?: (progress: { scanned: number; enqueued: number }) => void;
}

/**
 * `minato enqueue <pass> --all`: every torrent that still needs the pass, page by page with an info-hash
 * cursor so that memory and each query stay small at any table size. Pass 2 takes only what
 * `needsEnrichment` accepts, so music and software never reach CLASSIFY.
 */
export async function enqueuePending(options: EnqueuePendingOptions): Promise<number> {
  const { repository, queues, pass, pageSize = 1_000 } = options;
  const queue = QUEUES[pass];
  let after = '';
  let scanned = 0;
  let enqueued = 0;
  for (;;) {
    const page = await repository.pendingPage(pass, after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]?.infoHash ?? after;
    scanned += page.length;
    const wanted =
      pass === 'classify' ? page.filter((row) => needsEnrichment({ ...row, enriched: false })) : page;
    enqueued += await enqueueTorrents(
      queues,
      queue,
      wanted.map((row) => row.infoHash),
    );
    options.onPage?.({ scanned, enqueued });
  }
  return enqueued;
}
