import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BULK_JOBS_RUNNING, enqueueBulk, textArray } from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';
import { metricValue } from '../support/worker-metrics.js';

describe('bulk jobs: workers take what they run, and save as they go', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  const start = async (name: 'ingest' | 'enrichment', env: Record<string, string> = {}) => {
    const { worker, port } = await startReadyWorker(name, { ...h.env, ...env });
    workers.push(worker);
    return port;
  };

  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
  });

  it('an ingest worker never holds more bulk jobs than it runs plus one, whatever its concurrency, leaving the rest to other replicas', async () => {
    // Twelve bulk jobs of 500 (BULK_JOB_HASHES).
    const torrents = await h.seed(6_000);
    await enqueueBulk(
      h.queues,
      'TORRENT_INGEST',
      torrents.map((t) => t.infoHash),
    );
    const port = await start('ingest', { INGEST_CONCURRENCY: '500' });
    await waitFor(
      'all twelve bulk jobs done',
      async () => (await h.queues.TORRENT_INGEST.getCompletedCount()) === 12,
      { timeoutMs: 180_000 },
    );
    // The worker's own count of the bulk jobs it held, at every moment: BULK_JOBS_RUNNING run, one waits its
    // turn; BullMQ alone would have taken all twelve into the 500 slots.
    const mostHeld = await metricValue(port, 'minato_bulk_jobs_held_max{queue="TORRENT_INGEST"}');
    expect(mostHeld).toBe(BULK_JOBS_RUNNING + 1);
    expect(await h.pgIndexed(torrents.map((t) => t.infoHash))).toBe(6_000);
  });

  it('a bulk CLASSIFY job saves each title as its lookup resolves, not all at the end', async () => {
    const tmdb = await startTmdbFake({ port: 0 });
    try {
      // Six films, five releases each, in one bulk job; one TMDB call a second makes the titles resolve apart.
      const films = [
        'The Matrix 1999',
        'Inception 2010',
        'Heat 1995',
        'Alien 1979',
        'Gladiator 2000',
        'Memento 2000',
      ];
      const torrents = await h.seed(
        films.flatMap((film, f) =>
          Array.from({ length: 5 }, (_, r) => ({
            infoHash: `${f}${r}`.padStart(40, 'a'),
            title: `${film.replace(/ /g, '.')}.${['720p', '1080p', '2160p', 'BluRay', 'WEB'][r]}.x264-GROUP`,
            size: 1,
          })),
        ),
      );
      const hashes = torrents.map((t) => t.infoHash);
      await enqueueBulk(h.queues, 'CLASSIFY', hashes);
      await start('enrichment', {
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
        TMDB_RATE_CAPACITY: '1',
        TMDB_RATE_REFILL_PER_SEC: '1',
      });
      const enrichedCount = async () => {
        const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM torrents
          WHERE info_hash = ANY(${textArray(h.sql, hashes)}::text[]) AND enriched_at IS NOT NULL`;
        return row?.n ?? 0;
      };
      // One statement for the whole job would show 0 and then 30, never anything in between.
      const partial = await waitFor(
        'some titles saved while others are still being looked up',
        async () => {
          const n = await enrichedCount();
          return n > 0 && n < hashes.length ? n : null;
        },
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      expect(partial % 5).toBe(0);
      await waitFor('every title saved', async () => (await enrichedCount()) === hashes.length, {
        timeoutMs: 60_000,
      });
      await waitFor('the job complete', async () => (await h.queues.CLASSIFY.getCompletedCount()) === 1);
      // The saved torrents went on to pass 3 in bulk jobs, each torrent once.
      const syncJobs = await h.queues.ES_SYNC.getPrioritized();
      const synced = syncJobs.flatMap((j) => (j.data as { infoHashes: string[] }).infoHashes);
      expect(synced.sort()).toEqual([...hashes].sort());
    } finally {
      await tmdb.close();
    }
  });
});
