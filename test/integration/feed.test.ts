import { enqueueBulk, syntheticTorrents } from '@minato/core';
import { describe, expect, it } from 'vitest';
import { crawl, pass1Repeats, pass1Unchanged, searchable } from '../support/feed-crawl.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';
import { waitFor } from '../support/wait-for.js';
import { metricValue } from '../support/worker-metrics.js';

describe('the torrents feed: a crawler that only writes rows', () => {
  const pipeline = pipelinePerTest({ FEED: 'notify' });

  it('makes a single INSERT searchable through a live job and a 2,000-row statement through bulk jobs', async () => {
    const { port } = await pipeline.start('ingest');
    const h = pipeline.h;
    await waitFor('the feed to listen', async () => (await metricValue(port, 'minato_feed_listening')) === 1);
    const [single, ...batch] = syntheticTorrents(2_001, 25);
    await crawl(h, [single!], 1);
    await searchable(h, 1);
    await crawl(h, batch, 2_000);
    await searchable(h, 2_001);
    expect(await metricValue(port, 'minato_feed_torrents_enqueued_total{path="live"}')).toBe(1);
    expect(await metricValue(port, 'minato_feed_torrents_enqueued_total{path="bulk"}')).toBe(2_000);
    expect(await metricValue(port, 'minato_feed_notifications_total')).toBe(1 + 20);
    const completed = await h.queues.TORRENT_INGEST.getCompleted(0, -1);
    const bulkSizes = completed.flatMap((j) => ('infoHashes' in j.data ? [j.data.infoHashes.length] : []));
    expect(bulkSizes).toEqual([500, 500, 500, 500]);
    expect(await pass1Repeats(h)).toEqual({ taken: 2_001, repeated: 0 });
  });

  it("announces a crawler's title change but not Minato's own writes (indexed_at, enrichment)", async () => {
    const { port } = await pipeline.start('ingest');
    const h = pipeline.h;
    await waitFor('the feed to listen', async () => (await metricValue(port, 'minato_feed_listening')) === 1);
    const torrents = syntheticTorrents(300, 26);
    await crawl(h, torrents, 300);
    await searchable(h, 300);
    await waitFor(
      'indexed_at on all 300',
      async () => (await h.pgIndexed(torrents.map((t) => t.infoHash))) === 300,
    );
    const heard = await metricValue(port, 'minato_feed_notifications_total');
    // What pass 2 writes, by hand: no notification.
    await h.sql`UPDATE torrents SET enrichment_status = 'no_match', enriched_at = now()`;
    await h.sql`UPDATE torrents SET indexed_at = now()`;
    // A crawler renames one torrent: one notification, one live job.
    const renamed = torrents[7]!.infoHash;
    await h.sql`UPDATE torrents SET title = 'Renamed.Feed.Sentinel.2024.1080p' WHERE info_hash = ${renamed}`;
    await waitFor(
      'the new title searchable',
      async () => (await h.esCount({ match: { title: 'sentinel' } })) === 1,
      { timeoutMs: 60_000 },
    );
    expect(await metricValue(port, 'minato_feed_notifications_total')).toBe(heard + 1);
  });

  it('writes a row its catch-up sent again while its first job was queued once: the second job reads it and leaves it', async () => {
    const h = pipeline.h;
    const torrents = syntheticTorrents(2_000, 28);
    const hashes = torrents.map((t) => t.infoHash);
    // Written while no listener heard, and queued by a producer of their own: both jobs wait for the worker, whose
    // catch-up then sends every one of these rows again (they are not indexed yet).
    await crawl(h, torrents, 1_000);
    await enqueueBulk(h.queues, 'TORRENT_INGEST', hashes);
    // One job at a time, so each catch-up job runs after the first job of its rows completed.
    const { port } = await pipeline.start('ingest', { INGEST_CONCURRENCY: '1' });
    await searchable(h, 2_000);
    await waitFor('the catch-up jobs completed too', async () => (await pass1Repeats(h)).taken >= 4_000);
    expect(await metricValue(port, 'minato_feed_torrents_enqueued_total{path="catch_up"}')).toBe(2_000);
    expect(await pass1Repeats(h)).toEqual({ taken: 4_000, repeated: 2_000 });
    expect(await pass1Unchanged(h)).toBe(2_000);
    // Elasticsearch was sent each document once: no second write answered 409.
    expect(await metricValue(port, 'minato_es_documents_total{result="indexed"}')).toBe(2_000);
    expect(await metricValue(port, 'minato_es_documents_total{result="version_conflict"}')).toBe(0);
    expect(await h.pgIndexed(hashes)).toBe(2_000);
  });

  it('adds each job once while two ingest workers listen at once', async () => {
    const a = await pipeline.start('ingest');
    const b = await pipeline.start('ingest');
    const h = pipeline.h;
    for (const { port } of [a, b])
      await waitFor(
        'the feed to listen',
        async () => (await metricValue(port, 'minato_feed_listening')) === 1,
      );
    const torrents = syntheticTorrents(5_050, 27);
    await crawl(h, torrents.slice(0, 5_000), 1_000);
    await crawl(h, torrents.slice(5_000), 1);
    await searchable(h, 5_050);
    for (const { port } of [a, b]) {
      expect(await metricValue(port, 'minato_feed_torrents_enqueued_total{path="bulk"}')).toBe(5_000);
      expect(await metricValue(port, 'minato_feed_torrents_enqueued_total{path="live"}')).toBe(50);
    }
    await waitFor('every job completed', async () => (await pass1Repeats(h)).taken >= 5_050);
    expect(await pass1Repeats(h)).toEqual({ taken: 5_050, repeated: 0 });
  });
});
