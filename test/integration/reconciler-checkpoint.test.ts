import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointRepository,
  concreteIndexName,
  enqueueBulk,
  needsEnrichment,
  reconcileChanges,
  redisKeys,
  redisLossMarker,
  textArray,
  type ReconcileChangesOptions,
} from '@minato/core';
import { ownPort } from '../support/local-services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { repoRoot, startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

// A Redis of this file's own: the test wipes it with FLUSHALL, which the shared one must never see.
const REDIS_PORT = String(ownPort(6397));
const redis = (action: 'start' | 'stop') => {
  const result = spawnSync('deploy/local/redis.sh', [action], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_PORT },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`redis.sh ${action} failed: ${result.stdout}${result.stderr}`);
};

describe('the periodic reconciler', () => {
  let h: Harness;
  let worker: RunningProcess | undefined;
  const pass = (extra: Partial<ReconcileChangesOptions> = {}) =>
    reconcileChanges({
      repository: h.repository,
      search: h.search,
      index: h.config.ELASTICSEARCH_INDEX,
      queues: h.queues,
      checkpoints: new CheckpointRepository(h.sql),
      graceMs: 0,
      visibleAfterMs: 0,
      repairIndex: { replicas: 0 },
      ...extra,
    });
  const indexAll = async (count: number) => {
    const torrents = await h.seed(count);
    worker = (await startReadyWorker('ingest', h.env)).worker;
    await enqueueBulk(
      h.queues,
      'TORRENT_INGEST',
      torrents.map((t) => t.infoHash),
    );
    await waitFor('every torrent indexed', async () => (await h.esCount()) === count, { timeoutMs: 60_000 });
    await waitFor(
      'every row marked',
      async () => (await h.pgIndexed(torrents.map((t) => t.infoHash))) === count,
    );
    return torrents;
  };

  beforeAll(() => redis('start'));
  afterAll(() => redis('stop'));
  beforeEach(async () => {
    h = await createHarness({ REDIS_PORT });
  });
  afterEach(async () => {
    if (worker) await stopProcess(worker);
    worker = undefined;
    await h.close();
  });

  it('keeps its checkpoint through a Redis FLUSHALL and then reads only the rows that changed', async () => {
    const torrents = await indexAll(200);
    const first = await pass();
    expect(first).toMatchObject({ mode: 'full', reason: 'first pass', scanned: 200, ingest: 0, sync: 0 });

    await h.redis.flushall();
    const idle = await pass();
    expect(idle).toMatchObject({ mode: 'changes', scanned: 0, ingest: 0, sync: 0, classify: 0, missing: 0 });

    const changed = torrents.slice(0, 3).map((t) => t.infoHash);
    await h.sql`UPDATE torrents SET title = title || ' PROPER' WHERE info_hash = ANY(${textArray(h.sql, changed)}::text[])`;
    const after = await pass();
    expect(after).toMatchObject({ mode: 'changes', scanned: 3, sync: 3, ingest: 0 });
  });

  it('after Redis lost its data compares every row once, sending the CLASSIFY jobs lost with it again', async () => {
    // Pass 1 only: the hand-offs to CLASSIFY wait in Redis, as they would behind a TMDB-bound backlog.
    const torrents = await indexAll(200);
    const unenriched = torrents.filter((t) => needsEnrichment({ title: t.title, enriched: false })).length;
    expect(unenriched).toBeGreaterThan(0);
    const redisLoss = redisLossMarker(h.redis, redisKeys(h.config.QUEUE_PREFIX).reconcilerMarker);
    expect(await pass({ redisLoss })).toMatchObject({ mode: 'full', reason: 'first pass' });
    expect(await pass({ redisLoss })).toMatchObject({ mode: 'changes', scanned: 0, classify: 0 });

    await h.redis.flushall();
    expect(await h.queues.CLASSIFY.count()).toBe(0);
    const repair = await pass({ redisLoss });
    expect(repair).toMatchObject({
      mode: 'full',
      reason: 'jobs lost with Redis',
      scanned: 200,
      ingest: 0,
      sync: 0,
      classify: unenriched,
    });
    expect(await h.queues.CLASSIFY.count()).toBeGreaterThan(0);
    expect(await pass({ redisLoss })).toMatchObject({ mode: 'changes', scanned: 0, classify: 0 });
  });

  it('detects an index deleted under the workers by its count and rebuilds it through bulk jobs', async () => {
    await indexAll(300);
    await pass();
    const alias = h.config.ELASTICSEARCH_INDEX;
    await h.search.deleteIndexes([concreteIndexName(alias)]);

    const repair = await pass();
    expect(repair).toMatchObject({ mode: 'full', reason: 'documents missing', missing: 300, ingest: 300 });
    expect(await h.search.aliasExists(alias)).toBe(true);
    await waitFor('the index rebuilt', async () => (await h.esCount()) === 300, { timeoutMs: 60_000 });
    expect(await pass()).toMatchObject({ mode: 'changes', missing: 0 });
  });
});
