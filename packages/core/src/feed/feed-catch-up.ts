import { createHash } from 'node:crypto';
import type { CheckpointRepository } from '../db/checkpoint-repository.js';
import type { TorrentRepository } from '../db/torrent-repository.js';
import { BULK_JOB_HASHES, type QueueSet } from '../queues/job-catalog.js';
import { enqueueIdentifiedBulk } from '../queues/producers.js';

export interface FeedCatchUpOptions {
  repository: TorrentRepository;
  checkpoints: CheckpointRepository;
  /** the index alias whose reconciler checkpoint bounds the read */
  index: string;
  queues: QueueSet;
}

/**
 * What a listener that was away may have missed: rows never indexed and changed since the reconciler's
 * checkpoint (every row older than it was read by a reconciler pass), as bulk jobs of 500. The read goes through
 * the partial index of rows not indexed, so it costs the backlog, not the table. A job's id is the digest of its
 * hashes: listeners catching up together over the same rows add each job once. Returns the torrents sent.
 */
export async function catchUpFeed(options: FeedCatchUpOptions): Promise<number> {
  const { repository, checkpoints, index, queues } = options;
  const since = (await checkpoints.get(index))?.changedSince;
  let sent = 0;
  let after = '';
  for (;;) {
    const page = await repository.pendingPage('ingest', after, BULK_JOB_HASHES, since);
    if (page.length === 0) return sent;
    const hashes = page.map((row) => row.infoHash);
    after = hashes[hashes.length - 1]!;
    const id = `feed-catch-up-${createHash('sha1').update(hashes.join(',')).digest('hex')}`;
    sent += await enqueueIdentifiedBulk(queues, 'TORRENT_INGEST', [{ id, infoHashes: hashes }]).then(
      () => hashes.length,
    );
  }
}
