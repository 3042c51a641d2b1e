import { describe, expect, it } from 'vitest';
import { syntheticInfoHash } from '@minato/core';
import { compareRows } from '../support/projection-audit.js';
import { waitFor } from '../support/wait-for.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';

// TMDB ids in the fake's catalog.
const INCEPTION = 27205;
const HEAT = 949;

describe('a title changed in PostgreSQL while pass 2 is matching it', () => {
  const pipeline = pipelinePerTest();

  it('never saves the old title’s match over the new title: PostgreSQL and Elasticsearch end with the new title and its own match', async () => {
    const { h, tmdb } = pipeline;
    const [torrent] = await h.seed([
      { infoHash: syntheticInfoHash('retitled'), title: 'Inception.2010.1080p.BluRay.x264-SPARKS', size: 1 },
    ]);
    const infoHash = torrent!.infoHash;
    await pipeline.start('ingest');
    const { worker: enrichment } = await pipeline.start('enrichment');
    await pipeline.start('sync', { RECONCILE_EVERY_MS: '0' });
    // Slow answers hold the match open (well inside TMDB_TIMEOUT_MS) while the title changes under it.
    tmdb.setMode({ mode: 'slow', delayMs: 3_000 });
    await h.enqueueIngest([infoHash]);
    await waitFor('pass 2 to ask TMDB about the old title', () =>
      tmdb.requests.some((r) => r.path === '/3/search/movie' && r.query.query === 'Inception'),
    );
    const newTitle = 'Heat.1995.1080p.BluRay.x264-SPARKS';
    await h.sql`UPDATE torrents SET title = ${newTitle} WHERE info_hash = ${infoHash}`;
    tmdb.setMode({ mode: 'ok' });

    const row = await waitFor(
      'the new title enriched and indexed at its latest version',
      async () => {
        const [r] = await h.sql<
          { title: string; tmdb_id: number | null; version: number; indexed_version: number | null }[]
        >`
          SELECT t.title, m.tmdb_id, t.version, t.indexed_version FROM torrents t
          LEFT JOIN media m ON m.id = t.media_id WHERE t.info_hash = ${infoHash}`;
        return r && r.tmdb_id !== null && r.indexed_version === r.version ? r : null;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(row).toMatchObject({ title: newTitle, tmdb_id: HEAT });
    expect(row.tmdb_id).not.toBe(INCEPTION);
    // The old title's answer did come back, and was not saved: the new title was matched instead.
    expect(tmdb.requests.some((r) => r.query.query === 'Heat')).toBe(true);
    expect(enrichment.output()).toMatch(/title changed during the match: matching the new title/);
    expect(await compareRows(h)).toEqual({ rows: 1, mismatches: [] });
    const doc = await h.rest.source<{ title_raw: string; media_title: string | null }>(
      h.config.ELASTICSEARCH_INDEX,
      infoHash,
    );
    expect(doc).toMatchObject({ title_raw: newTitle, media_title: 'Heat' });
    for (const queue of Object.values(h.queues)) expect(await queue.getFailedCount()).toBe(0);
  });
});
