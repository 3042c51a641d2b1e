import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsEnrichment, QUEUES } from '@minato/core';
import { ownPort, startOwnRedis, stopOwnRedis, stopOwnRedisKeepingData } from '../support/local-services.js';
import { parkedGauge, readiness, waitParked } from '../support/parked-worker.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';
import { compareRows } from '../support/projection-audit.js';
import { waitFor } from '../support/wait-for.js';

// A Redis of this file's own, stopped and started again mid-run; the shared 6379 must never be.
const PORT = ownPort(6400);

describe('with its Redis stopped mid-run and started again with its data', () => {
  beforeAll(() => startOwnRedis(PORT), 60_000);
  // Registered after the start above, so the harness finds its Redis; closed before the stop below.
  const pipeline = pipelinePerTest({ REDIS_PORT: String(PORT) });
  afterAll(() => stopOwnRedis(PORT));

  it('parks all three workers naming Redis, fails no job, and once Redis is back resumes and takes every row through the pipeline', async () => {
    const { h } = pipeline;
    const torrents = await h.seed(1_000);
    const hashes = torrents.map((t) => t.infoHash);
    const workers = [];
    for (const [name, queue] of [
      ['ingest', 'TORRENT_INGEST'],
      ['enrichment', 'CLASSIFY'],
      ['sync', 'ES_SYNC'],
    ] as const) {
      // A bucket refilled fast: the TMDB budget is not what this test is about.
      const started = await pipeline.start(name, { RECONCILE_EVERY_MS: '0', TMDB_RATE_REFILL_PER_SEC: '20' });
      workers.push({ name, queue, ...started });
    }
    await h.enqueueIngest(hashes);
    await waitFor('a first part indexed', async () => (await h.pgIndexed(hashes)) >= 200, {
      timeoutMs: 60_000,
    });

    // Jobs still waiting when Redis stops: the outage comes mid-run (under load pass 1 may be done already).
    const pendingAtStop = await h.queues.TORRENT_INGEST.getWaitingCount();
    const restart = await stopOwnRedisKeepingData(PORT);
    try {
      // Nothing of the test's own touches Redis while it is down: its client would wait, as the workers' do.
      const parkings = await Promise.all(workers.map(({ port }) => waitParked(port)));
      for (const [i, { name, port, queue }] of workers.entries()) {
        const { status, parked } = parkings[i]!;
        expect(status, name).toBe(503);
        expect(parked?.cause, name).toBe('redis');
        // Whatever the connection error was (refused, or reset as the server went away), the reason names
        // the server's address.
        expect(parked?.reason, name).toMatch(new RegExp(`127\\.0\\.0\\.1:${PORT}`));
        expect(parked?.fix, name).toMatch(/start redis or correct its address/);
        expect(await parkedGauge(port, queue, 'redis'), name).toBe(1);
      }
    } finally {
      // Also when an assertion above failed: the harness's cleanup needs its Redis.
      await restart();
    }

    await waitFor(
      'every queue drained',
      async () => {
        const counts = await Promise.all(
          Object.values(h.queues).map((q) => q.getJobCounts('wait', 'active', 'delayed', 'prioritized')),
        );
        return counts.every((c) => Object.values(c).every((n) => n === 0));
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(pendingAtStop, 'jobs waiting when Redis stopped').toBeGreaterThan(0);
    const stalled: string[] = [];
    for (const queue of Object.values(QUEUES)) {
      expect(await h.queues[queue].getFailedCount(), queue).toBe(0);
      // No attempt was spent on the outage. A job that finished while Redis was down could not record it; if the
      // outage outlasted its lock, the stalled-job check runs it once more (harmless: external versioning).
      const completed = await h.queues[queue].getJobs(['completed']);
      expect(
        completed
          .filter((job) => job.attemptsMade !== 1)
          .map(
            (job) =>
              `${job.id} attemptsMade=${job.attemptsMade} stalled=${job.stalledCounter ?? 0}, ` +
              `first attempt's error: ${job.stacktrace?.[0]?.split('\n')[0] ?? 'none recorded'}`,
          ),
        queue,
      ).toEqual([]);
      const reruns = completed.filter((job) => (job.stalledCounter ?? 0) > 0).length;
      if (reruns > 0) stalled.push(`${queue} ${reruns}`);
    }
    if (stalled.length > 0) console.info(`jobs run again after the outage as stalled: ${stalled.join(', ')}`);
    expect(await h.pgIndexed(hashes)).toBe(1_000);
    const rows = await h.sql<{ title: string; enriched: boolean }[]>`
      SELECT title, enriched_at IS NOT NULL AS enriched FROM torrents`;
    expect(rows.filter((row) => needsEnrichment(row))).toEqual([]);
    expect(await compareRows(h)).toEqual({ rows: 1_000, mismatches: [] });
    for (const { name, worker, port, queue } of workers) {
      expect(worker.child.exitCode, `${name}: ${worker.tail()}`).toBeNull();
      expect(worker.output().match(new RegExp(`${queue} parked`, 'g')), worker.tail()).toHaveLength(1);
      expect(worker.output()).toMatch(new RegExp(`${queue} resumed: redis answers again`));
      await waitFor(`the ${name} worker ready again`, async () => (await readiness(port)).status === 200);
      expect(await parkedGauge(port, queue, 'redis')).toBe(0);
    }
  }, 420_000);
});
