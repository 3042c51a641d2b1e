import { describe, expect, it } from 'vitest';
import { enqueueBulk, enqueueTorrents, needsEnrichment, torrentBacklog } from '@minato/core';
import { ingestWorkersPerTest } from '../support/ingest-workers-per-test.js';
import { waitFor } from '../support/wait-for.js';

describe('bulk jobs beside live jobs', () => {
  const pipeline = ingestWorkersPerTest();

  it('counts the backlog in torrents: a bulk job by the torrents it carries, a live job as one', async () => {
    const hashes = Array.from({ length: 2_500 }, (_, i) => i.toString(16).padStart(40, '0'));
    await enqueueBulk(pipeline.h.queues, 'TORRENT_INGEST', hashes);
    await enqueueTorrents(pipeline.h.queues, 'TORRENT_INGEST', ['f'.repeat(40), 'e'.repeat(40)]);
    // Bulk jobs of 500: 500 ×5, beside the two live jobs.
    expect(await torrentBacklog(pipeline.h.queues.TORRENT_INGEST)).toEqual({ jobs: 7, torrents: 2_502 });
    expect(await pipeline.h.queues.TORRENT_INGEST.getPrioritizedCount()).toBe(5);
  });

  it('completes the healthy torrents of a bulk job and records the bad ones with their reasons', async () => {
    const torrents = await pipeline.h.seed(60);
    const rejected = torrents[3]!.infoHash;
    // A size beyond `long` makes the mapping reject that one document; a hash with no row can never be read.
    await pipeline.h.sql`UPDATE torrents SET size = 9223372036854775807 WHERE info_hash = ${rejected}`;
    const missing = 'd'.repeat(40);
    const hashes = [...torrents.map((t) => t.infoHash), missing, torrents[0]!.infoHash];
    const { port } = await pipeline.start();
    await enqueueBulk(pipeline.h.queues, 'TORRENT_INGEST', hashes);

    const [job] = await waitFor('the bulk job to complete', async () => {
      const done = await pipeline.h.queues.TORRENT_INGEST.getCompleted();
      return done.length === 1 ? done : null;
    });
    expect(job?.returnvalue).toMatchObject({ torrents: 61, failed: 2, indexed: 59 });
    expect(await pipeline.h.esCount()).toBe(59);
    expect(await pipeline.h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
    const failures = await pipeline.h.sql<{ info_hash: string; queue: string; reason: string }[]>`
      SELECT info_hash, queue, reason FROM torrent_failures ORDER BY reason`;
    expect(failures).toHaveLength(2);
    expect(failures.find((f) => f.info_hash === rejected)?.reason).toMatch(/Elasticsearch rejected/);
    expect(failures.find((f) => f.info_hash === missing)?.reason).toMatch(/not in PostgreSQL/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/minato_torrent_failures_total\{queue="TORRENT_INGEST"\} 2/);

    // The hand-off of a bulk job is one bulk CLASSIFY job with exactly the torrents pass 2 still needs.
    const classify = await pipeline.h.queues.CLASSIFY.getPrioritized();
    const enrichable = torrents.filter(
      (t) => t.infoHash !== rejected && needsEnrichment({ title: t.title, enriched: false }),
    );
    expect(classify).toHaveLength(1);
    expect([...(classify[0]?.data as { infoHashes: string[] }).infoHashes].sort()).toEqual(
      enrichable.map((t) => t.infoHash).sort(),
    );
  });

  it('serves a live torrent ahead of every bulk job still waiting', async () => {
    const torrents = await pipeline.h.seed(8_500);
    await enqueueBulk(
      pipeline.h.queues,
      'TORRENT_INGEST',
      torrents.slice(0, 8_000).map((t) => t.infoHash),
    );
    // Sixteen bulk jobs of 500 torrents, one job at a time: when the live torrent arrives, most of them wait.
    await pipeline.start({ INGEST_CONCURRENCY: '1' });
    await waitFor(
      'a bulk job active',
      async () => (await pipeline.h.queues.TORRENT_INGEST.getActiveCount()) === 1,
    );
    const live = torrents[8_200]!.infoHash;
    await enqueueTorrents(pipeline.h.queues, 'TORRENT_INGEST', [live]);
    await waitFor(
      'all seventeen jobs done',
      async () => (await pipeline.h.queues.TORRENT_INGEST.getCompletedCount()) === 17,
      {
        timeoutMs: 120_000,
      },
    );
    const done = await pipeline.h.queues.TORRENT_INGEST.getCompleted();
    const liveJob = done.find((j) => (j.data as { infoHash?: string }).infoHash === live);
    const bulkJobs = done.filter((j) => j !== liveJob);
    const overtaken = bulkJobs.filter((j) => (j.processedOn ?? 0) >= (liveJob?.finishedOn ?? Infinity));
    expect(overtaken.length).toBeGreaterThanOrEqual(1);
    expect(await pipeline.h.pgIndexed([live])).toBe(1);
  });
});
