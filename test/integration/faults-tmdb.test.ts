import { describe, expect, it } from 'vitest';
import { hashesOf, syntheticInfoHash, textArray, TMDB_MAX_RESPONSE_BYTES } from '@minato/core';
import { parkedGauge, readiness, touchedJobs, waitParked } from '../support/parked-worker.js';
import { compareRows } from '../support/projection-audit.js';
import { sentBytesBound } from '../support/socket-buffers.js';
import { waitFor } from '../support/wait-for.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';

const films = [
  'Inception.2010',
  'Heat.1995',
  'Gladiator.2000',
  'Whiplash.2014',
  'Arrival.2016',
  'Joker.2019',
];

describe('pass 2 against a TMDB that misbehaves for long, or answers too much', () => {
  const pipeline = pipelinePerTest();
  /** The three workers of this test's pipeline; resolves to the enrichment worker. */
  const startPipeline = async () => {
    const [, enrichment] = await Promise.all([
      pipeline.start('ingest'),
      pipeline.start('enrichment', { ENRICHMENT_CONCURRENCY: '5' }),
      pipeline.start('sync', { RECONCILE_EVERY_MS: '0' }),
    ]);
    return enrichment;
  };
  const seedFilms = (tag: string) =>
    pipeline.h.seed(
      films.map((film, i) => ({
        infoHash: syntheticInfoHash(`${tag}-${i}`),
        title: `${film}.1080p.BluRay.x264-SPARKS`,
        size: 1,
      })),
    );
  const rowsOf = async (hashes: string[]) =>
    pipeline.h.sql<
      { info_hash: string; status: string | null; version: number; indexed_version: number | null }[]
    >`
      SELECT info_hash, enrichment_status AS status, version, indexed_version FROM torrents
      WHERE info_hash = ANY(${textArray(pipeline.h.sql, hashes)}::text[])`;
  /** Every row enriched (or not, for `unenriched`) and indexed at its latest version. */
  const settled = (hashes: string[], unenriched: string[] = []) =>
    waitFor(
      'every row enriched and indexed at its latest version',
      async () =>
        (await rowsOf(hashes)).every(
          (r) =>
            (unenriched.includes(r.info_hash) || r.status === 'matched') && r.indexed_version === r.version,
        ),
      { timeoutMs: 90_000, intervalMs: 500 },
    );

  it('parks CLASSIFY while TMDB answers 500 for ~15 s, past a job’s own 3 attempts and through four probes, with attempts intact, and enriches all once TMDB answers again', async () => {
    const { h, tmdb } = pipeline;
    const hashes = (await seedFilms('tmdb-500')).map((t) => t.infoHash);
    // Held until withdrawn: far longer than a job's 3 attempts with 2 s and 4 s of backoff would take.
    tmdb.setMode({ mode: '500' });
    const { worker, port } = await startPipeline();
    await h.enqueueIngest(hashes);

    const { status, parked } = await waitParked(port);
    expect(status).toBe(503);
    expect(parked?.cause).toBe('tmdb');
    expect(parked?.reason).toMatch(/TMDB answered 500 on search\/movie/);
    expect(parked?.fix).toMatch(/wait for TMDB to recover, or correct TMDB_BASE_URL/);
    expect(await parkedGauge(port, 'CLASSIFY', 'tmdb')).toBe(1);
    // Probes at 1, 3, 7 and 15 s after parking: each answered 500, the worker still parked.
    const probes = () => tmdb.requests.filter((r) => r.path === '/3/configuration');
    await waitFor('four probes answered 500', () => probes().length >= 4, { timeoutMs: 60_000 });
    expect(probes().every((r) => r.status === 500)).toBe(true);
    expect((await readiness(port)).parked?.cause).toBe('tmdb');
    expect(await touchedJobs(h.queues.CLASSIFY)).toEqual([]);
    expect(await h.queues.CLASSIFY.getFailedCount()).toBe(0);
    expect(worker.output().match(/CLASSIFY parked/g), worker.tail()).toHaveLength(1);

    tmdb.setMode({ mode: 'ok' });
    await settled(hashes);
    for (const queue of Object.values(h.queues)) expect(await queue.getFailedCount()).toBe(0);
    expect(await compareRows(h)).toEqual({ rows: hashes.length, mismatches: [] });
    expect(worker.output()).toMatch(/CLASSIFY resumed: tmdb answers again/);
    await waitFor('ready again', async () => (await readiness(port)).status === 200);
    expect(await parkedGauge(port, 'CLASSIFY', 'tmdb')).toBe(0);
  });

  it('fails only the job whose TMDB answer is 64 MiB, naming the limit, after reading a bounded part of it; the worker keeps serving', async () => {
    const { h, tmdb } = pipeline;
    const [huge, ...rest] = (await seedFilms('tmdb-huge')).map((t) => t.infoHash);
    const { worker, port } = await startPipeline();
    const hugeBytes = 64 * 1024 * 1024;
    // The first search pass 2 makes is answered with the real results and thousands more: valid, enormous.
    tmdb.setMode({ mode: 'huge', hugeBytes, count: 1 });
    await h.enqueueIngest([huge!]);
    const failed = await waitFor(
      'the job with the huge answer to fail',
      async () => (await h.queues.CLASSIFY.getFailed())[0],
    );
    expect(hashesOf(failed.data)).toEqual([huge]);
    expect(failed.failedReason).toBe(
      `TMDB answered search/movie with a body of more than ${TMDB_MAX_RESPONSE_BYTES} bytes, over the client's limit of ${TMDB_MAX_RESPONSE_BYTES} bytes`,
    );
    // Bad input from TMDB, not an outage: failed at once, no retry, no parking.
    expect(failed.attemptsMade).toBe(1);
    await waitFor('the worker to answer ready', async () => (await readiness(port)).status === 200);
    const [answer] = tmdb.requests.filter((r) => r.sentBytes !== undefined);
    const bound = sentBytesBound(TMDB_MAX_RESPONSE_BYTES);
    expect(bound).toBeLessThan(hugeBytes);
    expect(answer?.sentBytes).toBeLessThan(bound);

    await h.enqueueIngest(rest);
    await settled([huge!, ...rest], [huge!]);
    expect(await h.queues.CLASSIFY.getFailedCount()).toBe(1);
    expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
    expect(await compareRows(h)).toEqual({ rows: films.length, mismatches: [] });
    expect(worker.child.exitCode).toBeNull();
  });
});
