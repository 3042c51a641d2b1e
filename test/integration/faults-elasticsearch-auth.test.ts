import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requiredPrivileges, type SearchPrivileges } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { parkedGauge, readiness, touchedJobs, waitParked } from '../support/parked-worker.js';
import { compareRows } from '../support/projection-audit.js';
import {
  limitedTo,
  SECURE_PORT,
  startSecureElasticsearch,
  type SecureElasticsearch,
} from '../support/secure-elasticsearch.js';
import { waitFor } from '../support/wait-for.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';

// On the node with security on: the plain test cluster has no credentials to refuse.
const ingestPrivileges = requiredPrivileges['ingest-worker'];
// The key loses what `_bulk` needs and keeps the rest: it still reads the index's settings.
const withoutWrite: SearchPrivileges = {
  cluster: ingestPrivileges.cluster,
  index: ingestPrivileges.index.filter((p) => p !== 'index'),
};

describe('Elasticsearch refusing the worker’s API key mid-run parks pass 1, and no job fails', () => {
  let es: SecureElasticsearch;
  let h: Harness;
  let workers: RunningProcess[] = [];
  beforeAll(async () => {
    es = await startSecureElasticsearch(SECURE_PORT);
  }, 240_000);
  afterAll(() => es.close());
  beforeEach(async () => {
    h = await createHarness({ ELASTICSEARCH_NODE: es.node, ELASTICSEARCH_API_KEY: es.adminKey });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
  });

  const ingestKey = (privileges: SearchPrivileges = ingestPrivileges) =>
    es.createApiKey('minato-ingest-faults', limitedTo(privileges, h.config.ELASTICSEARCH_INDEX));
  /** An ingest worker with `key`; debug logs show each probe that finds the cause still there. */
  const startIngest = async (key: string) => {
    const started = await startReadyWorker('ingest', {
      ...h.env,
      ELASTICSEARCH_API_KEY: key,
      INGEST_CONCURRENCY: '50',
      ES_BUFFER_MAX_DOCS: '50',
      LOG_LEVEL: 'debug',
    });
    workers.push(started.worker);
    return started;
  };
  /** Seeds 200 torrents and has the worker index the first 100 with its key, as it would before a fault. */
  const runningWith = async (key: string) => {
    const hashes = (await h.seed(200)).map((t) => t.infoHash);
    const started = await startIngest(key);
    await h.enqueueIngest(hashes.slice(0, 100));
    await waitFor(
      'the first 100 indexed with the valid key',
      async () => (await h.pgIndexed(hashes)) === 100,
    );
    return { ...started, hashes };
  };
  const failedProbes = (worker: RunningProcess) =>
    worker.output().match(/"msg":"probe failed: still parked"/g)?.length ?? 0;
  const allIndexedAndAgreeing = async (hashes: string[]) => {
    await waitFor('all 200 indexed', async () => (await h.pgIndexed(hashes)) === 200, {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
    expect(await compareRows(h)).toEqual({ rows: 200, mismatches: [] });
  };

  it('parks on a key invalidated mid-run (401) with attempts intact; an invalidated key never comes back, so a worker restarted with a new key indexes every job', async () => {
    const key = await ingestKey();
    const { worker, port, hashes } = await runningWith(key);
    await es.invalidateApiKey(key);
    await h.enqueueIngest(hashes.slice(100));

    const { status, parked } = await waitParked(port);
    expect(status).toBe(503);
    expect(parked?.cause).toBe('elasticsearch');
    expect(parked?.reason).toMatch(/refused the credentials \(HTTP 401 security_exception\)/);
    expect(parked?.fix).toMatch(/ELASTICSEARCH_API_KEY/);
    expect(await parkedGauge(port, 'TORRENT_INGEST', 'elasticsearch')).toBe(1);
    await waitFor('two probes refused with the invalidated key', () => failedProbes(worker) >= 2, {
      timeoutMs: 30_000,
    });
    expect(await touchedJobs(h.queues.TORRENT_INGEST)).toEqual([]);
    expect(worker.output().match(/TORRENT_INGEST parked/g), worker.tail()).toHaveLength(1);

    // The operator's fix: a new key, which a worker reads at start-up. The parked one drains cleanly.
    expect(await stopProcess(worker, 'SIGTERM'), worker.tail()).toEqual({ code: 0, signal: null });
    expect(await touchedJobs(h.queues.TORRENT_INGEST)).toEqual([]);
    await startIngest(await ingestKey());
    await allIndexedAndAgreeing(hashes);
  });

  it('parks on a key that lost its write privilege mid-run (403), stays parked while it lacks it, and resumes by itself once the privilege is given back', async () => {
    const key = await ingestKey();
    const { worker, port, hashes } = await runningWith(key);
    await es.updateApiKey(key, limitedTo(withoutWrite, h.config.ELASTICSEARCH_INDEX));
    await h.enqueueIngest(hashes.slice(100));

    const { status, parked } = await waitParked(port);
    expect(status).toBe(503);
    expect(parked?.cause).toBe('elasticsearch');
    expect(parked?.reason).toMatch(
      /refused the request \(HTTP 403 security_exception: action \[indices:data\/write\/bulk\] is unauthorized .* granted by the index privileges \[.*\bindex\b.*\]\): check the privileges of ELASTICSEARCH_API_KEY/,
    );
    expect(parked?.fix).toMatch(/ELASTICSEARCH_API_KEY/);
    expect(await parkedGauge(port, 'TORRENT_INGEST', 'elasticsearch')).toBe(1);
    // The key still reads the index settings; the probe also asks for the write privilege, so it stays parked.
    await waitFor('two probes finding the privilege still missing', () => failedProbes(worker) >= 2, {
      timeoutMs: 30_000,
    });
    expect(worker.output().match(/TORRENT_INGEST parked/g), worker.tail()).toHaveLength(1);
    expect(await touchedJobs(h.queues.TORRENT_INGEST)).toEqual([]);

    await es.updateApiKey(key, limitedTo(ingestPrivileges, h.config.ELASTICSEARCH_INDEX));
    await allIndexedAndAgreeing(hashes);
    expect(worker.output()).toMatch(/TORRENT_INGEST resumed: elasticsearch answers again/);
    expect(worker.output().match(/TORRENT_INGEST parked/g)).toHaveLength(1);
    await waitFor('ready again', async () => (await readiness(port)).status === 200);
    expect(await parkedGauge(port, 'TORRENT_INGEST', 'elasticsearch')).toBe(0);
  });
});
