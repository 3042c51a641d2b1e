import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointRepository,
  createLogger,
  DeletionRepository,
  DeletionSweeper,
  ElasticsearchBuffer,
  enqueueBulk,
  reconcileChanges,
  textArray,
} from '@minato/core';
import { ownPort, startOwnRedis, stopOwnRedis } from '../support/local-services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import {
  runNode,
  startReadyWorker,
  stopProcess,
  withOutput,
  type RunningProcess,
} from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

// A Redis of this file's own: one test wipes it with FLUSHALL, which the shared one must never see.
// Shifted as a search node of its own is: the OpenSearch tier runs this file beside the Elasticsearch tier, and the
// Redis-loss test flushes its Redis.
const OWN_REDIS_PORT = ownPort(6450);

const silent = createLogger({ level: 'silent', format: 'json' });

describe('deleted means gone', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  let dir: string;
  const start = async (name: 'ingest' | 'sync', env: Record<string, string> = {}) => {
    const { worker, port } = await startReadyWorker(name, { ...h.env, ...env });
    workers.push(worker);
    return { worker, port };
  };
  const minato = async (...args: string[]) => {
    const result = await runNode(['packages/cli/dist/main.js', ...args], h.env);
    expect(result.code, withOutput(result)).toBe(0);
    return result.output;
  };
  /** how many of `hashes` have a document */
  const present = async (hashes: string[]) => {
    const stored = await h.search.storedVersions(h.config.ELASTICSEARCH_INDEX, hashes);
    return stored.filter((doc) => 'found' in doc && doc.found).length;
  };
  /** seeds `count` torrents and indexes them with an ingest worker, which is stopped again */
  const indexed = async (count: number) => {
    const hashes = (await h.seed(count)).map((t) => t.infoHash);
    const { worker } = await start('ingest');
    await enqueueBulk(h.queues, 'TORRENT_INGEST', hashes);
    await waitFor('every torrent indexed', async () => (await h.pgIndexed(hashes)) === count);
    await stopProcess(worker, 'SIGTERM');
    return hashes;
  };
  const deleteBySql = (hashes: string[]) =>
    h.sql`DELETE FROM torrents WHERE info_hash = ANY(${textArray(h.sql, hashes)}::text[])`;
  const sweeper = () =>
    new DeletionSweeper({
      deletions: new DeletionRepository(h.sql),
      search: h.search,
      index: h.config.ELASTICSEARCH_INDEX,
      logger: silent,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-deletions-'));
  });
  /** workers first, then the harness: each inner block's own services go only after both */
  const closeTest = async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
    await rm(dir, { recursive: true, force: true });
  };

  describe('on the shared services', () => {
    beforeEach(async () => {
      h = await createHarness();
    });
    afterEach(closeTest);

    it('removes the documents of a takedown list within seconds while the sync worker runs, and records why', async () => {
      const hashes = await indexed(30);
      await start('sync');
      const takedown = hashes.slice(0, 10);
      const file = join(dir, 'takedown.txt');
      await writeFile(file, `# notice 118\n${takedown.join('\n')}\n`);
      const output = await minato('delete', '--file', file, '--reason', 'DMCA notice 118');
      expect(output).toMatch(/10 deleted/);
      await waitFor('the taken-down documents gone', async () => (await present(takedown)) === 0, {
        timeoutMs: 30_000,
      });
      expect(await present(hashes.slice(10))).toBe(20);
      // Marked done once Elasticsearch answered, a moment after the documents went.
      const reasons = await waitFor('every deletion marked done', async () => {
        const rows = await h.sql<{ reason: string; done: boolean }[]>`
          SELECT reason, done_at IS NOT NULL AS done FROM torrent_deletions`;
        return rows.every((r) => r.done) ? rows : null;
      });
      expect(reasons).toHaveLength(10);
      expect(reasons.every((r) => r.reason === 'DMCA notice 118')).toBe(true);
      const status = JSON.parse(await minato('status', '--json')) as {
        deletions: { pending: number; done: number };
      };
      expect(status.deletions).toEqual({ pending: 0, done: 10 });
    });

    it('keeps a DELETE made while no sync worker runs pending, and applies it once one starts', async () => {
      const hashes = await indexed(20);
      const gone = hashes.slice(0, 5);
      await deleteBySql(gone);
      expect(await new DeletionRepository(h.sql).counts()).toEqual({ pending: 5, done: 0 });
      expect(await present(gone)).toBe(5);
      const { port } = await start('sync');
      await waitFor('the deleted rows’ documents gone', async () => (await present(gone)) === 0, {
        timeoutMs: 30_000,
      });
      expect(await present(hashes.slice(5))).toBe(15);
      // The sweep counts its deletions once Elasticsearch answered for the whole batch.
      const metrics = await waitFor('the metrics to count the deletions done', async () => {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return /^minato_deletions_pending 0$/m.test(text) ? text : null;
      });
      expect(metrics).toMatch(/^minato_deletions_total\{result="deleted"\} 5$/m);
    });

    it('applies each pending deletion once when two sweeps of one sweeper overlap (the poll and the reconciler)', async () => {
      const hashes = await indexed(12);
      await deleteBySql(hashes.slice(0, 8));
      const shared = sweeper();
      const sweeps = await Promise.all([shared.sweep(), shared.sweep()]);
      expect(sweeps.reduce((n, s) => n + s.deleted, 0)).toBe(8);
      expect(sweeps.reduce((n, s) => n + s.absent + s.superseded, 0)).toBe(0);
      expect(await present(hashes)).toBe(4);
    });

    it('completes, with no failure recorded, the job of a row deleted before its pass read it', async () => {
      const [hash] = (await h.seed(1)).map((t) => t.infoHash);
      await deleteBySql([hash!]);
      await start('ingest');
      await h.enqueueIngest([hash!]);
      await waitFor(
        'the job completed',
        async () => (await h.queues.TORRENT_INGEST.getCompletedCount()) === 1,
      );
      expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
      expect(await h.sql`SELECT 1 FROM torrent_failures`).toHaveLength(0);
    });

    it('never lets a late write of the deleted row bring its document back', async () => {
      const [hash] = await indexed(1);
      const [old] = await h.repository.findMany([hash!]);
      await new DeletionRepository(h.sql).deleteTorrents([hash!], 'fake upload');
      expect(await sweeper().sweep()).toEqual({ deleted: 1, absent: 0, superseded: 0 });
      // A write of the old row still in flight when the deletion went through (read before it, sent after).
      const buffer = new ElasticsearchBuffer({
        client: h.search,
        index: h.config.ELASTICSEARCH_INDEX,
        maxDocs: 1,
        maxWaitMs: 10,
        idleMs: 1,
        maxPendingDocs: 10,
        logger: silent,
        registry: new Registry(),
      });
      const late = await buffer.add({ id: hash!, version: old!.externalVersion, body: { info_hash: hash } });
      await buffer.close();
      expect(late).toBe('superseded');
      expect(await present([hash!])).toBe(0);
    });

    it('indexes a row inserted again under a deleted hash, above the deletion’s version', async () => {
      const [hash] = await indexed(1);
      const [old] = await h.repository.findMany([hash!]);
      await deleteBySql([hash!]);
      await sweeper().sweep();
      await h.repository.insert([{ infoHash: hash!, title: 'Arrival.2016.1080p.BluRay', size: 1 }]);
      const [again] = await h.repository.findMany([hash!]);
      expect(again!.version).toBe(old!.version + 2);
      expect(await new DeletionRepository(h.sql).counts()).toEqual({ pending: 0, done: 0 });
      await start('ingest');
      await h.enqueueIngest([hash!]);
      await waitFor('the new row indexed', async () => (await present([hash!])) === 1);
    });

    it('removes documents left without a row by backfill --full, and only counts them with --dry-run', async () => {
      const hashes = await indexed(40);
      // Rows deleted behind the record's back, as before it existed (or by TRUNCATE).
      await h.sql`ALTER TABLE torrents DISABLE TRIGGER torrents_record_deletions`;
      await deleteBySql(hashes.slice(0, 10));
      await h.sql`ALTER TABLE torrents ENABLE TRIGGER torrents_record_deletions`;
      expect(await minato('backfill', '--full', '--dry-run')).toMatch(
        /30 scanned; .*40 documents read, would remove 10 without a row/,
      );
      expect(await h.esCount()).toBe(40);
      expect(await minato('backfill', '--full')).toMatch(/40 documents read, removed 10 without a row/);
      expect(await present(hashes.slice(0, 10))).toBe(0);
      expect(await h.esCount()).toBe(30);
    });
  });

  describe('on a Redis of its own', () => {
    beforeEach(async () => {
      await startOwnRedis(OWN_REDIS_PORT);
      h = await createHarness({ REDIS_PORT: String(OWN_REDIS_PORT) });
    });
    afterEach(async () => {
      await closeTest();
      await stopOwnRedis(OWN_REDIS_PORT);
    });

    it('applies a deletion the sweep never saw, after Redis lost everything, in the reconciler’s pass', async () => {
      const hashes = await indexed(20);
      const gone = hashes.slice(0, 5);
      await deleteBySql(gone);
      await h.redis.flushall();
      // The sweep the sync worker runs, here only inside the reconciler's pass.
      const summary = await reconcileChanges({
        deletions: sweeper(),
        checkpoints: new CheckpointRepository(h.sql),
        repository: h.repository,
        search: h.search,
        index: h.config.ELASTICSEARCH_INDEX,
        queues: h.queues,
        graceMs: 0,
        visibleAfterMs: 0,
      });
      expect(summary.deleted).toBe(5);
      expect(await present(gone)).toBe(0);
      expect(await present(hashes.slice(5))).toBe(15);
    });
  });
});
