import { describe, expect, it } from 'vitest';
import { enqueueTorrents, syntheticInfoHash } from '@minato/core';
import type { Harness } from '../support/pipeline-harness.js';
import { compareRows } from '../support/projection-audit.js';
import { waitFor } from '../support/wait-for.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';

// TMDB ids in the fake's catalog.
const INCEPTION = 27205;
const HEAT = 949;
const ARRIVAL = 329865;
const DUNE_2021 = 438631;

interface RowState {
  title: string;
  tmdb_id: number | null;
  enriched_at: Date | null;
  version: number;
  indexed_version: number | null;
}

/** The row once it carries a match and Elasticsearch acknowledged its latest version, with `title`. */
function settled(h: Harness, infoHash: string, title: string): Promise<RowState> {
  return waitFor(
    `${infoHash} matched and indexed at its latest version as "${title}"`,
    async () => {
      const [row] = await h.sql<RowState[]>`
        SELECT t.title, m.tmdb_id, t.enriched_at, t.version, t.indexed_version FROM torrents t
        LEFT JOIN media m ON m.id = t.media_id WHERE t.info_hash = ${infoHash}`;
      return row && row.title === title && row.tmdb_id !== null && row.indexed_version === row.version
        ? row
        : null;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

describe('a renamed torrent', () => {
  const pipeline = pipelinePerTest();
  const startAll = async () => {
    await pipeline.start('ingest');
    await pipeline.start('enrichment');
    await pipeline.start('sync', { RECONCILE_EVERY_MS: '0' });
  };

  it('is matched anew when its title names another work, whether pass 1 or pass 3 sees the rename first', async () => {
    const { h, tmdb } = pipeline;
    const viaIngest = syntheticInfoHash('renamed-ingest');
    const viaSync = syntheticInfoHash('renamed-sync');
    await h.seed([
      { infoHash: viaIngest, title: 'Inception.2010.1080p.BluRay.x264-SPARKS', size: 1 },
      { infoHash: viaSync, title: 'Inception.2010.720p.WEB-DL.x264-GRP', size: 1 },
    ]);
    await startAll();
    await h.enqueueIngest([viaIngest, viaSync]);
    expect((await settled(h, viaIngest, 'Inception.2010.1080p.BluRay.x264-SPARKS')).tmdb_id).toBe(INCEPTION);
    expect((await settled(h, viaSync, 'Inception.2010.720p.WEB-DL.x264-GRP')).tmdb_id).toBe(INCEPTION);

    await h.sql`UPDATE torrents SET title = 'Heat.1995.1080p.BluRay.x264-SPARKS' WHERE info_hash = ${viaIngest}`;
    await h.sql`UPDATE torrents SET title = 'Arrival.2016.720p.WEB-DL.x264-GRP' WHERE info_hash = ${viaSync}`;
    // A crawler enqueues its changed row for pass 1; the reconciler sends an enriched stale row to pass 3.
    await h.enqueueIngest([viaIngest]);
    await enqueueTorrents(h.queues, 'ES_SYNC', [viaSync]);

    expect((await settled(h, viaIngest, 'Heat.1995.1080p.BluRay.x264-SPARKS')).tmdb_id).toBe(HEAT);
    expect((await settled(h, viaSync, 'Arrival.2016.720p.WEB-DL.x264-GRP')).tmdb_id).toBe(ARRIVAL);
    expect(tmdb.requests.some((r) => r.query.query === 'Heat')).toBe(true);
    expect(tmdb.requests.some((r) => r.query.query === 'Arrival')).toBe(true);
    expect(await compareRows(h)).toEqual({ rows: 2, mismatches: [] });
    for (const queue of Object.values(h.queues)) expect(await queue.getFailedCount()).toBe(0);
  });

  it('keeps its match, with no TMDB call and no pass 2, when only its resolution, source or group changed', async () => {
    const { h, tmdb } = pipeline;
    const infoHash = syntheticInfoHash('re-encoded');
    await h.seed([{ infoHash, title: 'Dune.2021.1080p.WEB-DL.x264-GROUP', size: 1 }]);
    await startAll();
    await h.enqueueIngest([infoHash]);
    const before = await settled(h, infoHash, 'Dune.2021.1080p.WEB-DL.x264-GROUP');
    expect(before.tmdb_id).toBe(DUNE_2021);
    const tmdbCalls = tmdb.requests.length;
    const classified = await h.queues.CLASSIFY.getCompletedCount();

    const renamed = 'Dune.2021.2160p.BluRay.x265-OTHER';
    await h.sql`UPDATE torrents SET title = ${renamed} WHERE info_hash = ${infoHash}`;
    await h.enqueueIngest([infoHash]);
    const after = await settled(h, infoHash, renamed);

    expect(after.tmdb_id).toBe(DUNE_2021);
    expect(after.enriched_at).toEqual(before.enriched_at);
    expect(after.version).toBe(before.version + 1);
    expect(tmdb.requests.length).toBe(tmdbCalls);
    expect(await h.queues.CLASSIFY.getCompletedCount()).toBe(classified);
    expect(await compareRows(h)).toEqual({ rows: 1, mismatches: [] });
  });
});
