import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueBulk } from '@minato/core';
import { ownPort } from '../support/local-services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { readiness } from '../support/parked-worker.js';
import { waitFor } from '../support/wait-for.js';
import { repoRoot, startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';

const run = promisify(execFile);

// Three nodes of this file's own on loopback (deploy/local/<engine>.sh cluster), of the engine the tier runs:
// losing one disturbs no other test. Shifted with OWN_PORT_SHIFT, so that each engine of the matrix
// (deploy/local/test-engines.sh) has its own cluster beside the others'.
const ENGINE = process.env.SEARCH_ENGINE === 'opensearch' ? 'opensearch' : 'elasticsearch';
const PORT = ownPort(ENGINE === 'opensearch' ? 9254 : 9250);
const NODES = [0, 1, 2].map((i) => `http://127.0.0.1:${PORT + i}`);
// Only `make test-engines` runs this file, so it runs at full size; CLUSTER_TEST_TORRENTS=10000 shortens a run by
// hand on a loaded machine.
const TORRENTS = Number(process.env.CLUSTER_TEST_TORRENTS ?? 50_000);

const script = `deploy/local/${ENGINE}.sh`;
const cluster = (action: 'cluster' | 'cluster-stop') =>
  run(script, [action, '--port', String(PORT)], {
    cwd: repoRoot,
    env: { ...process.env, CLUSTER_HEAP: '384m' },
  });

interface ShardRow {
  prirep: 'p' | 'r';
  state: string;
  node: string | null;
}

// Past the first case's own waits (a quarter indexed, the loss, green again, every row): the suite's 180 s would
// cut a slow but healthy run short on a loaded machine before a wait could say where it stood.
const TIMEOUT_MS = 1_200_000;

describe('a three-node search cluster that loses a data node mid-run', { timeout: TIMEOUT_MS }, () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  beforeAll(() => cluster('cluster'), 300_000);
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
  });
  afterAll(() => cluster('cluster-stop'), 180_000);

  /** The node (0, 1 or 2) that holds the primary of the index behind `alias`. */
  async function primaryNode(alias: string): Promise<number> {
    const shards = await h.rest.request<ShardRow[]>(
      'GET',
      `/_cat/shards/${alias}?format=json&h=prirep,state,node`,
    );
    const primary = shards.find((s) => s.prirep === 'p' && s.state === 'STARTED');
    const node = Number(primary?.node?.replace(/^minato-/, '')) - PORT;
    if (!(node >= 0 && node <= 2))
      throw new Error(`no started primary of ${alias}: ${JSON.stringify(shards)}`);
    return node;
  }

  async function killNode(node: number): Promise<void> {
    const { stdout } = await run(script, ['pid-file', '--port', String(PORT)], {
      cwd: repoRoot,
      env: { ...process.env, NODE_INDEX: String(node) },
    });
    process.kill(Number((await readFile(stdout.trim(), 'utf8')).trim()), 'SIGKILL');
  }

  /** The index's health as the cluster reports it, from a node still up. */
  async function health(alias: string, node: number): Promise<string> {
    const url = `${NODES[node]}/_cluster/health/${alias}?timeout=1s`;
    const body = (await (await fetch(url)).json()) as { status: string };
    return body.status;
  }

  it(`indexes all ${TORRENTS} torrents with 0 failed jobs when the node holding the primary is SIGKILLed and started again`, async () => {
    h = await createHarness({ ELASTICSEARCH_NODE: NODES.join(','), SEARCH_INDEX_REPLICAS: '1' });
    const hashes = (await h.seed(TORRENTS)).map((t) => t.infoHash);
    const { worker, port } = await startReadyWorker('ingest', { ...h.env, RECONCILE_EVERY_MS: '0' });
    workers.push(worker);
    const alias = h.config.ELASTICSEARCH_INDEX;
    await waitFor('the index green with its replica', async () => (await health(alias, 0)) === 'green', {
      timeoutMs: 120_000,
    });
    await enqueueBulk(h.queues, 'TORRENT_INGEST', hashes);
    await waitFor('a quarter indexed', async () => (await h.pgIndexed(hashes)) >= TORRENTS / 4, {
      timeoutMs: 600_000,
      intervalMs: 500,
    });

    const lost = await primaryNode(alias);
    const survivor = (lost + 1) % 3;
    await killNode(lost);
    // The replica is promoted: yellow, and the pipeline goes on writing (and stays ready) while it is.
    await waitFor('the index yellow', async () => (await health(alias, survivor)) === 'yellow', {
      timeoutMs: 120_000,
    });
    const atLoss = await h.pgIndexed(hashes);
    await waitFor(
      'rows indexed while yellow',
      async () => (await h.pgIndexed(hashes)) >= Math.min(TORRENTS, atLoss + 500),
      { timeoutMs: 300_000, intervalMs: 500 },
    );
    expect((await readiness(port)).status).toBe(200);

    await cluster('cluster');
    await waitFor('the index green again', async () => (await health(alias, survivor)) === 'green', {
      timeoutMs: 300_000,
      intervalMs: 1_000,
    });
    await waitFor('every row indexed', async () => (await h.pgIndexed(hashes)) === TORRENTS, {
      timeoutMs: 600_000,
      intervalMs: 1_000,
    });
    expect(await h.queues.TORRENT_INGEST.getFailedCount()).toBe(0);
    expect(await h.esCount()).toBe(TORRENTS);
    expect(await h.indexedButMissing(hashes)).toEqual([]);
    expect(worker.child.exitCode).toBeNull();
  });

  it('answers /readyz 503 naming the engine and the index while the index is red, and ready again once it is not', async () => {
    // No replica: losing the primary's node leaves its shard with no copy.
    h = await createHarness({ ELASTICSEARCH_NODE: NODES.join(','), SEARCH_INDEX_REPLICAS: '0' });
    const { worker, port } = await startReadyWorker('ingest', { ...h.env, RECONCILE_EVERY_MS: '0' });
    workers.push(worker);
    const alias = h.config.ELASTICSEARCH_INDEX;
    const lost = await primaryNode(alias);
    await killNode(lost);
    const red = await waitFor(
      'a red readiness',
      async () => {
        const ready = await readiness(port);
        return ready.status === 503 ? ready : null;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const label = ENGINE === 'opensearch' ? 'OpenSearch' : 'Elasticsearch';
    expect(red.checks.elasticsearch).toMatch(new RegExp(`^${label} \\S+: index ${alias} is red`));

    await cluster('cluster');
    await waitFor('ready again', async () => (await readiness(port)).status === 200, {
      timeoutMs: 300_000,
      intervalMs: 1_000,
    });
  });
});
