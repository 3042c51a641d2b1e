import type { PendingPass, TorrentRepository } from '../db/torrent-repository.js';
import { needsEnrichment } from '../passes/chain.js';
import { QUEUES, type QueueSet } from '../queues/job-catalog.js';
import { enqueueBulk } from '../queues/producers.js';

export interface EnqueuePendingOptions {
  repository: TorrentRepository;
  queues: QueueSet;
  pass: PendingPass;
  /** rows read per query: ten bulk jobs' worth */
  pageSize?: number;
  /** called after each page with the rows scanned and the torrents enqueued so far */
  onPage?: (progress: { scanned: number; enqueued: number }) => void;
}

/**
 * `minato enqueue <pass> --all`: every torrent that still needs the pass, as bulk jobs, page by page with an
 * info-hash cursor so that memory and each query stay small at any table size. The next page is read while the
 * current one is enqueued, so PostgreSQL and Redis work at once. Pass 2 takes only what `needsEnrichment`
 * accepts, so music and software never reach CLASSIFY.
 */
export async function enqueuePending(options: EnqueuePendingOptions): Promise<number> {
  const { repository, queues, pass, pageSize = 10_000 } = options;
  const queue = QUEUES[pass];
  let scanned = 0;
  let enqueued = 0;
  let page = await repository.pendingPage(pass, '', pageSize);
  while (page.length > 0) {
    const after = page[page.length - 1]?.infoHash ?? '';
    const next = page.length < pageSize ? Promise.resolve([]) : repository.pendingPage(pass, after, pageSize);
    scanned += page.length;
    const wanted =
      pass === 'classify' ? page.filter((row) => needsEnrichment({ ...row, enriched: false })) : page;
    const [added] = await Promise.all([
      enqueueBulk(
        queues,
        queue,
        wanted.map((row) => row.infoHash),
      ),
      next,
    ]);
    enqueued += added;
    options.onPage?.({ scanned, enqueued });
    page = await next;
  }
  return enqueued;
}
