import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointRepository,
  LookupCache,
  MediaRepository,
  QUEUES,
  TokenBucket,
  tmdbBucketKey,
  createLogger,
  redisLossMarker,
  startReconcileScheduler,
  torrentBacklog,
  type PipelineStatus,
} from '@minato/core';
import { FAILOVER_TORRENTS, PROBE_TORRENTS, runThroughFailover } from '../support/failover-run.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { clusterTopology } from '../support/redis-topologies.js';
import { waitFor } from '../support/wait-for.js';
import { runNode, startReadyWorker, stopProcess, withOutput } from '../support/worker-processes.js';

// This file's own ports: six nodes on 6410-6415, their cluster bus on 16410-16415.
const cluster = clusterTopology(6410);
const silent = createLogger({ level: 'silent', format: 'json' });

// A run through a failover takes 60–110 s on the shared 2-core machine, more when other sessions load it.
const FAILOVER_TEST_MS = 360_000;

describe('on a Redis Cluster', () => {
  let h: Harness | undefined;
  beforeAll(() => cluster.start(), 120_000);
  afterAll(() => cluster.stop());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("runs every script and MULTI of Minato's own on the cluster, none raising CROSSSLOT, and `minato status` counts every queue", async () => {
    h = await createHarness(cluster.env);
    const { keys, redis } = h;
    // The bucket's two scripts: take and pause, each touching the bucket and its ledger.
    const bucket = new TokenBucket({
      redis,
      key: tmdbBucketKey('http://cluster-test', 'key'),
      capacity: 5,
      refillPerSecond: 5,
      logger: silent,
    });
    for (let i = 0; i < 3; i += 1) await bucket.acquire();
    await bucket.pause(10);
    expect((await bucket.ledger()).grants).toHaveLength(3);
    // The lookup lock (SET NX, released by a script) and the reconciler's marker (SET … GET).
    const lookups = new LookupCache({
      media: new MediaRepository(h.sql),
      redis,
      registry: new Registry(),
      keyPrefix: keys.tmdbLookupLockPrefix,
    });
    await lookups.lookup('movie|cluster test|2020', () => Promise.resolve({ media: null, confidence: null }));
    const marker = redisLossMarker(redis, keys.reconcilerMarker);
    expect(await marker.takeLoss()).toBe(true);
    expect(await marker.takeLoss()).toBe(false);
    await marker.forget();
    // BullMQ's scripts: live and bulk jobs added, counted and read back, and the reconciler's job scheduler
    // upserted and run by its worker (its pass sets the marker again).
    const torrents = await h.seed(1_500);
    await h.enqueueIngest(torrents.map((t) => t.infoHash));
    expect((await torrentBacklog(h.queues[QUEUES.ingest])).torrents).toBe(1_500);
    const scheduler = await startReconcileScheduler({
      redis,
      keys,
      everyMs: 1_000,
      reconcile: {
        repository: h.repository,
        search: h.search,
        index: h.config.ELASTICSEARCH_INDEX,
        queues: h.queues,
        checkpoints: new CheckpointRepository(h.sql),
      },
      logger: silent,
    });
    try {
      await waitFor(
        'a reconciler pass to set its marker',
        async () => (await redis.exists(keys.reconcilerMarker)) === 1,
        {
          timeoutMs: 30_000,
        },
      );
    } finally {
      await scheduler.close();
    }
    // `minato status` in cluster mode: counts read per queue, each queue on its own slot, no KEYS or SCAN.
    const out = await runNode(['packages/cli/dist/main.js', 'status', '--json'], h.env);
    expect(out.code, withOutput(out)).toBe(0);
    const status = JSON.parse(out.output.trim().split('\n').at(-1) ?? '{}') as PipelineStatus;
    // the live jobs, and the bulk jobs the reconciler's pass may have queued for the same rows
    expect(status.queues?.TORRENT_INGEST.backlog).toBeGreaterThanOrEqual(1_500);
    expect(status.postgres?.torrents).toBe(1_500);
  });

  it("takes jobs again when a whole shard was away long enough for BullMQ to reset an idle worker's blocking connection", async () => {
    h = await createHarness(cluster.env);
    const harness = h;
    const { worker } = await startReadyWorker('ingest', { ...harness.env, RECONCILE_EVERY_MS: '0' });
    // The worker waits on its queue's marker, on `home`; a shard of another slot range dies whole (its master and
    // its replica, so that no failover ends it), and the cluster says `fail` until the shard is started again.
    const marker = `${harness.keys.queuePrefix(QUEUES.ingest)}:${QUEUES.ingest}:marker`;
    const home = await cluster.masterOf(marker);
    let away = home;
    for (let i = 0; away === home; i += 1) away = await cluster.masterOf(`elsewhere-${i}`);
    const shard = await cluster.shardOf(away);
    // one connection of our own, so that reading the count adds nothing to it
    const homeNode = new Redis({ port: home, lazyConnect: true });
    await homeNode.connect();
    const connectionsReceived = async () =>
      Number(/total_connections_received:(\d+)/.exec(await homeNode.info('stats'))?.[1]);
    try {
      for (const port of shard) await cluster.kill(port);
      await waitFor(
        'the cluster to say fail',
        async () => (await cluster.info(home, 'cluster_state')) === 'fail',
        {
          timeoutMs: 30_000,
          intervalMs: 100,
        },
      );
      const before = await connectionsReceived();
      // BullMQ abandons a blocking wait that outlived its timeout (10 s at most) and reconnects its connection,
      // which then connects while the cluster says fail
      await waitFor(
        'the idle worker to reconnect while the cluster says fail',
        async () => (await connectionsReceived()) > before,
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    } finally {
      homeNode.disconnect();
      await cluster.start();
    }
    await waitFor('the cluster to say ok', async () => (await cluster.info(home, 'cluster_state')) === 'ok', {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const torrents = await harness.seed(20);
    await harness.enqueueIngest(torrents.map((t) => t.infoHash));
    try {
      await waitFor(
        'the worker to index the torrents queued after the outage',
        async () => (await harness.pgIndexed(torrents.map((t) => t.infoHash))) === 20,
        {
          timeoutMs: 60_000,
          intervalMs: 200,
        },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ingest\n${worker.tail(20)}`);
    } finally {
      await stopProcess(worker);
    }
  });

  it(
    'loses nothing when the master of the CLASSIFY queue is SIGKILLed mid-run: 0 failed jobs, every worker back, PostgreSQL = Elasticsearch',
    async () => {
      h = await createHarness(cluster.env);
      const harness = h;
      const classifyKey = `${harness.keys.queuePrefix(QUEUES.classify)}:${QUEUES.classify}:wait`;
      let killed = 0;
      let electionMs = 0;
      const outcome = await runThroughFailover(harness, {
        torrents: FAILOVER_TORRENTS,
        enrichmentReplicas: 3,
        failover: async () => {
          killed = await cluster.masterOf(classifyKey);
          const killedAt = Date.now();
          await cluster.kill(killed);
          const electedAt = await cluster.electedAfter(killed, classifyKey);
          electionMs = electedAt - killedAt;
          return electedAt;
        },
      });
      console.info(
        `cluster master ${killed} SIGKILLed, replica elected after ${electionMs} ms: ${JSON.stringify(outcome)}`,
      );
      expect(outcome.mismatches).toEqual([]);
      expect(outcome.rows).toBe(FAILOVER_TORRENTS + PROBE_TORRENTS);
      expect(outcome.failedAttempts).toBe(0);
      expect(outcome.failedJobs).toBe(0);
      expect(Object.keys(outcome.resumedMs)).toHaveLength(5);
      // the killed node comes back as a replica of the one that replaced it
      await cluster.start();
    },
    FAILOVER_TEST_MS,
  );
});
