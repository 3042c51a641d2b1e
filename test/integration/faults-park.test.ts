import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTorrents, readWorkerStates, redisKeys, textArray } from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';
import { parkedGauge, readiness, touchedJobs, waitParked } from '../support/parked-worker.js';
import { ownPostgres } from '../support/local-services.js';

type Fake = Awaited<ReturnType<typeof startTmdbFake>>;

describe('an outage or a misconfiguration parks the work and never fails it', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  let fakes: Fake[] = [];
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await Promise.all(fakes.map((f) => f.close()));
    workers = [];
    fakes = [];
    await h.close();
  });
  const start = async (name: 'ingest' | 'enrichment', env: Record<string, string>) => {
    const started = await startReadyWorker(name, { ...h.env, ...env });
    workers.push(started.worker);
    return started;
  };

  it('parks CLASSIFY on a rejected TMDB key with 0 failed jobs, and enriches the backlog once TMDB accepts the key', async () => {
    h = await createHarness();
    // TMDB refuses the key the worker holds, until the account is fixed (a new fake on the same port).
    let tmdb = await startTmdbFake({ port: 0, apiKey: 'the-right-key' });
    fakes.push(tmdb);
    const torrents = await h.seed(
      ['Inception.2010', 'Heat.1995', 'Gladiator.2000', 'Whiplash.2014', 'Dune.2021'].map((title, i) => ({
        infoHash: String(i + 1).repeat(40),
        title: `${title}.1080p.BluRay.x264-SPARKS`,
        size: 1,
      })),
    );
    const hashes = torrents.map((t) => t.infoHash);
    const { worker, port } = await start('enrichment', {
      TMDB_BASE_URL: tmdb.baseUrl,
      TMDB_API_KEY: 'the-old-key',
      ENRICHMENT_CONCURRENCY: '5',
    });
    await enqueueTorrents(h.queues, 'CLASSIFY', hashes);

    const parked = await waitParked(port);
    expect(parked.status).toBe(503);
    expect(parked.parked?.cause).toBe('tmdb');
    expect(parked.parked?.fix).toContain('TMDB_API_KEY');
    expect(parked.parked?.reason).toMatch(/TMDB rejected the API key/);
    expect(await parkedGauge(port, 'CLASSIFY', 'tmdb')).toBe(1);
    // The console reads the same state from Redis, where the worker publishes it every few seconds.
    const published = await waitFor('the parking published to Redis', async () => {
      const states = await readWorkerStates(h.redis, redisKeys(h.config.QUEUE_PREFIX).workerStates);
      return states.find((s) => s.queue === 'CLASSIFY' && s.state === 'parked');
    });
    expect(published.parked).toEqual(parked.parked);
    // It keeps probing with backoff and stays parked while the key is refused.
    await waitFor(
      'two probes refused',
      () => tmdb.requests.filter((r) => r.path.endsWith('/configuration')).length >= 2,
      {
        timeoutMs: 30_000,
      },
    );
    expect(await touchedJobs(h.queues.CLASSIFY)).toEqual([]);
    expect(await h.queues.CLASSIFY.getWaitingCount()).toBe(hashes.length);
    expect(worker.output().match(/CLASSIFY parked/g)).toHaveLength(1);

    const tmdbPort = tmdb.port;
    await tmdb.close();
    fakes = [];
    tmdb = await startTmdbFake({ port: tmdbPort, apiKey: 'the-old-key' });
    fakes.push(tmdb);
    await waitFor(
      'the backlog enriched after the key is accepted',
      async () => {
        const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM torrents
          WHERE info_hash = ANY(${textArray(h.sql, hashes)}::text[]) AND enriched_at IS NOT NULL`;
        return row?.n === hashes.length;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(await h.queues.CLASSIFY.getFailedCount()).toBe(0);
    expect(worker.output()).toMatch(/CLASSIFY resumed: tmdb answers again/);
    await waitFor('ready again', async () => (await readiness(port)).status === 200);
    expect(await parkedGauge(port, 'CLASSIFY', 'tmdb')).toBe(0);
  });

  it('parks TORRENT_INGEST on an index blocked read-only by the flood-stage watermark, and indexes everything once the block is cleared', async () => {
    h = await createHarness();
    const hashes = (await h.seed(300)).map((t) => t.infoHash);
    const { worker, port } = await start('ingest', { ES_BUFFER_MAX_DOCS: '50', INGEST_CONCURRENCY: '100' });
    const index = h.config.ELASTICSEARCH_INDEX;
    // A real block, as Elasticsearch sets it when a node's disk passes the flood-stage watermark.
    await h.rest.request('PUT', `/${index}/_settings`, { 'index.blocks.read_only_allow_delete': true });
    await h.enqueueIngest(hashes);

    const parked = await waitParked(port);
    expect(parked.status).toBe(503);
    expect(parked.parked?.cause).toBe('elasticsearch');
    expect(parked.parked?.fix).toContain('read_only_allow_delete');
    expect(parked.parked?.reason).toMatch(/flood-stage watermark/);
    expect(await parkedGauge(port, 'TORRENT_INGEST', 'elasticsearch')).toBe(1);
    expect(await touchedJobs(h.queues.TORRENT_INGEST)).toEqual([]);
    expect(await h.pgIndexed(hashes)).toBe(0);

    await h.rest.request('PUT', `/${index}/_settings`, { 'index.blocks.read_only_allow_delete': null });
    await waitFor(
      'all 300 indexed once the block is cleared',
      async () => (await h.pgIndexed(hashes)) === 300,
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
    expect(await h.esCount()).toBe(300);
    expect(worker.output().match(/TORRENT_INGEST parked/g)).toHaveLength(1);
    expect(worker.output()).toMatch(/TORRENT_INGEST resumed: elasticsearch answers again/);
  });

  describe('with a PostgreSQL cluster of its own, stopped mid-run', () => {
    // Its own cluster on its own port, so that stopping it disturbs no other test.
    const postgres = ownPostgres('faults', 5442);
    beforeAll(() => postgres.create(), 60_000);
    afterAll(() => postgres.drop(), 60_000);

    it('parks TORRENT_INGEST while PostgreSQL is down, with 0 failed jobs, and indexes everything once it is back', async () => {
      h = await createHarness({ DATABASE_URL: postgres.url });
      const hashes = (await h.seed(200)).map((t) => t.infoHash);
      const { worker, port: metricsPort } = await start('ingest', { INGEST_CONCURRENCY: '50' });
      await postgres.stop();
      await h.enqueueIngest(hashes);
      const { parked } = await waitParked(metricsPort);
      expect(parked?.cause).toBe('postgres');
      expect(parked?.reason).toMatch(/ECONNREFUSED|connection/i);
      expect(await parkedGauge(metricsPort, 'TORRENT_INGEST', 'postgres')).toBe(1);
      expect(await touchedJobs(h.queues.TORRENT_INGEST)).toEqual([]);

      await postgres.start();
      await waitFor(
        'all 200 indexed once PostgreSQL is back',
        async () => (await h.pgIndexed(hashes)) === 200,
        {
          timeoutMs: 90_000,
          intervalMs: 500,
        },
      );
      expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
      expect(await h.esCount()).toBe(200);
      expect(worker.output()).toMatch(/TORRENT_INGEST resumed: postgres answers again/);
    });
  });
});
