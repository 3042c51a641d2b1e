import type { NewTorrent } from '@minato/core';
import type { Harness } from './pipeline-harness.js';
import { waitFor } from './wait-for.js';

/** Inserts rows as a crawler does, with plain SQL in statements of `perStatement` rows and no job enqueued. */
export async function crawl(h: Harness, torrents: NewTorrent[], perStatement: number): Promise<void> {
  for (let i = 0; i < torrents.length; i += perStatement) {
    const rows = torrents.slice(i, i + perStatement).map((t) => ({ info_hash: t.infoHash, title: t.title }));
    await h.sql`INSERT INTO torrents ${h.sql(rows, 'info_hash', 'title')}`;
  }
}

/** How many times pass 1 took each torrent, over the jobs BullMQ kept as completed: hashes taken more than once. */
export async function pass1Repeats(h: Harness): Promise<{ taken: number; repeated: number }> {
  const seen = new Map<string, number>();
  const jobs = await h.queues.TORRENT_INGEST.getCompleted(0, -1);
  for (const job of jobs) {
    const hashes = 'infoHashes' in job.data ? job.data.infoHashes : [job.data.infoHash];
    for (const hash of hashes) seen.set(hash, (seen.get(hash) ?? 0) + 1);
  }
  let taken = 0;
  let repeated = 0;
  for (const n of seen.values()) {
    taken += n;
    if (n > 1) repeated += n - 1;
  }
  return { taken, repeated };
}

/**
 * Torrents pass 1 took and left as they were, over the jobs BullMQ kept as completed: rows already acknowledged at
 * their version when a second job (a catch-up's) read them, so Elasticsearch was not written to again.
 */
export async function pass1Unchanged(h: Harness): Promise<number> {
  const jobs = await h.queues.TORRENT_INGEST.getCompleted(0, -1);
  return jobs.reduce((n, job) => n + ((job.returnvalue as { unchanged?: number } | null)?.unchanged ?? 0), 0);
}

/** Waits until the test's index holds `n` documents. */
export function searchable(h: Harness, n: number, timeoutMs = 120_000): Promise<boolean> {
  return waitFor(`${n} documents searchable`, async () => (await h.esCount()) === n, {
    timeoutMs,
    intervalMs: 250,
  });
}

/**
 * Waits until every one of `hashes` is searchable and PostgreSQL records it indexed: the row is acknowledged only
 * after Elasticsearch answered for it, so the second comes a moment after the first.
 */
export async function searchableAndAcknowledged(
  h: Harness,
  hashes: string[],
  timeoutMs = 120_000,
): Promise<void> {
  await searchable(h, hashes.length, timeoutMs);
  await waitFor(
    `${hashes.length} rows acknowledged in PostgreSQL`,
    async () => (await h.pgIndexed(hashes)) === hashes.length,
  );
}
