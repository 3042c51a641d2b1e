import { startTmdbFake } from '@minato/tmdb-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueTorrents, requiredPrivileges, type SearchRole } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import {
  adminUser,
  limitedTo,
  SECURE_PORT,
  startSecureElasticsearch,
  type SecureElasticsearch,
} from '../support/secure-elasticsearch.js';
import { waitFor } from '../support/wait-for.js';
import {
  startNode,
  startReadyWorker,
  startWorker,
  stopProcess,
  type RunningProcess,
} from '../support/worker-processes.js';

// On the node with security on (the default test cluster runs without it); README.md, Security, lists the sets.

describe('the documented Elasticsearch privileges, on a cluster with security on', () => {
  let es: SecureElasticsearch;
  let h: Harness;
  let alias = '';
  const workers: RunningProcess[] = [];
  const fakes: Awaited<ReturnType<typeof startTmdbFake>>[] = [];
  const keyFor = (role: SearchRole, drop?: string) => {
    const { cluster, index } = requiredPrivileges[role];
    const privileges = { cluster: cluster.filter((p) => p !== drop), index: index.filter((p) => p !== drop) };
    return es.createApiKey(`minato-${role}`, limitedTo(privileges, alias));
  };
  const minato = async (key: string, ...args: string[]) => {
    const proc = startNode(['packages/cli/dist/main.js', ...args], { ...h.env, ELASTICSEARCH_API_KEY: key });
    const { code } = await proc.exited;
    return { code, output: proc.output() };
  };

  beforeAll(async () => {
    es = await startSecureElasticsearch(SECURE_PORT);
    h = await createHarness({ ELASTICSEARCH_NODE: es.node, ELASTICSEARCH_API_KEY: es.adminKey });
    alias = h.config.ELASTICSEARCH_INDEX;
  }, 240_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await Promise.all(fakes.map((f) => f.close()));
    await h.close();
    await es.close();
  });

  it('runs the three workers and reindex, backfill, status and search with keys holding exactly their sets', async () => {
    const torrents = await h.seed(50);
    const hashes = torrents.map((t) => t.infoHash);

    const ingest = await startReadyWorker('ingest', {
      ...h.env,
      ELASTICSEARCH_API_KEY: await keyFor('ingest-worker'),
    });
    workers.push(ingest.worker);
    await h.enqueueIngest(hashes);
    await waitFor(
      '50 documents indexed by the ingest worker',
      async () => (await h.pgIndexed(hashes)) === 50,
      {
        timeoutMs: 60_000,
      },
    );
    expect(await h.esCount()).toBe(50);

    const sync = await startReadyWorker('sync', {
      ...h.env,
      ELASTICSEARCH_API_KEY: await keyFor('sync-worker'),
      RECONCILE_EVERY_MS: '500',
    });
    workers.push(sync.worker);
    await enqueueTorrents(h.queues, 'ES_SYNC', hashes);
    await waitFor('the sync jobs done', async () => {
      const c = await h.queues.ES_SYNC.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    });
    // The reconciler reads which documents exist (mget) with the same key.
    await waitFor('a reconciler pass', () => /"msg":"reconciled/.test(sync.worker.output()));
    expect(await h.queues.ES_SYNC.getJobCounts('failed')).toEqual({ failed: 0 });

    // Pass 1 handed the films among the 50 to CLASSIFY: the worker takes them, so it needs a TMDB to talk to
    // (an unreachable one would park the queue and keep /readyz at 503, as it should).
    const tmdb = await startTmdbFake({ port: 0 });
    const enrichment = await startReadyWorker('enrichment', {
      ...h.env,
      ELASTICSEARCH_API_KEY: await keyFor('enrichment-worker'),
      TMDB_API_KEY: 'minato-dev-key',
      TMDB_BASE_URL: tmdb.baseUrl,
    });
    workers.push(enrichment.worker);
    fakes.push(tmdb);

    const reindexed = await minato(await keyFor('reindex'), 'reindex');
    expect(reindexed.code, reindexed.output).toBe(0);
    expect(reindexed.output).toMatch(/50 documents in /);
    const status = await minato(await keyFor('status'), 'status', '--json');
    expect(status.code, status.output).toBe(0);
    expect(JSON.parse(status.output.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      elasticsearch: { docs: 50 },
    });
    // --full: the whole comparison (every row against its document), the most a backfill key is asked to do.
    const backfilled = await minato(await keyFor('backfill'), 'backfill', '--full', '--dry-run');
    expect(backfilled.code, backfilled.output).toBe(0);
    expect(backfilled.output).toMatch(/50 scanned/);
    // Searched by the name of one of the 50: some of them come back, through the search key alone.
    const found = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { infoHash: string }).infoHash)
        .filter((hash) => hashes.includes(hash));
    const name = torrents[0]?.title ?? '';
    const searched = await minato(await keyFor('search'), 'search', '--json', name);
    expect(searched.code, searched.output).toBe(0);
    expect(found(searched.output).length, searched.output).toBeGreaterThan(0);
    // No key: the user and password in ELASTICSEARCH_NODE authenticate, as they do for the full client.
    const withUser = new URL(es.node);
    withUser.username = adminUser.username;
    withUser.password = adminUser.password;
    const asUser = startNode(['packages/cli/dist/main.js', 'search', '--json', name], {
      ...h.env,
      ELASTICSEARCH_NODE: withUser.href,
      ELASTICSEARCH_API_KEY: '',
    });
    expect((await asUser.exited).code, asUser.output()).toBe(0);
    expect(found(asUser.output()).length, asUser.output()).toBeGreaterThan(0);
    for (const { worker } of [ingest, sync, enrichment])
      expect(worker.output()).not.toMatch(/security_exception/);
  }, 180_000);

  const syncPrivileges = [
    ...requiredPrivileges['sync-worker'].cluster,
    ...requiredPrivileges['sync-worker'].index,
  ];
  it.each(syncPrivileges)(
    'stops the sync worker at start-up, naming "%s", when its key lacks it',
    async (dropped) => {
      const worker = startWorker('sync', {
        ...h.env,
        ELASTICSEARCH_API_KEY: await keyFor('sync-worker', dropped),
      });
      const { code } = await worker.exited;
      expect(code, worker.output()).toBe(1);
      const kind = requiredPrivileges['sync-worker'].cluster.includes(dropped) ? 'cluster' : 'index';
      const on = kind === 'index' ? ` on "${alias}"` : '';
      expect(worker.output()).toContain(
        `sync-worker: invalid configuration: ELASTICSEARCH_API_KEY lacks ${kind} privilege "${dropped}"${on}`,
      );
    },
  );

  it('stops minato search before it searches, naming the privilege its key lacks', async () => {
    const { code, output } = await minato(await keyFor('search', 'read'), 'search', 'dune');
    expect(code, output).toBe(5);
    expect(output).toContain(`minato: ELASTICSEARCH_API_KEY lacks index privilege "read" on "${alias}"`);
  });

  it('stops minato search with one line naming ELASTICSEARCH_API_KEY when the key is refused', async () => {
    const wrong = Buffer.from('not-an-id:not-a-key').toString('base64');
    const { code, output } = await minato(wrong, 'search', 'dune');
    expect(code, output).toBe(5);
    expect(output.trim()).toBe(
      `minato: Elasticsearch at ${es.node} refused the credentials (HTTP 401 security_exception): check ELASTICSEARCH_API_KEY`,
    );
  });

  it('stops minato reindex before it touches the index, naming the privilege its key lacks', async () => {
    const { code, output } = await minato(await keyFor('reindex', 'delete_index'), 'reindex');
    expect(code, output).toBe(5);
    expect(output).toContain(
      `minato: ELASTICSEARCH_API_KEY lacks index privilege "delete_index" on "${alias}"`,
    );
    expect(output).toContain(`lacks index privilege "delete_index" on "${alias}_v*"`);
  });
});
