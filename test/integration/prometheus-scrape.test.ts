import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, freePort, type Harness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait-for.js';
import {
  repoRoot,
  startWorker,
  stopProcess,
  waitReady,
  type RunningProcess,
} from '../support/worker-processes.js';

// The ports deploy/prometheus/prometheus.yml scrapes.
const ports = { ingest: 9471, enrichment: 9472, sync: 9473 } as const;

interface PromResponse<T> {
  status: string;
  data: T;
}

describe('a real Prometheus scrapes the three workers', () => {
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  let workers: RunningProcess[] = [];
  let prometheus: RunningProcess['child'] | undefined;
  let storage: string;
  let promUrl: string;

  beforeAll(async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    workers = (Object.keys(ports) as (keyof typeof ports)[]).map((name) =>
      startWorker(name, {
        ...h.env,
        METRICS_PORT: String(ports[name]),
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
        // The reconciler's first pass would send the rows not yet indexed to pass 1 again (one more job to count).
        RECONCILE_EVERY_MS: '0',
      }),
    );
    await Promise.all(workers.map((worker, i) => waitReady(worker, Object.values(ports)[i]!)));
    // Some traffic, so job and buffer series carry samples.
    const torrents = await h.seed(50);
    await h.enqueueIngest(torrents.map((t) => t.infoHash));
    await waitFor('50 documents', async () => (await h.esCount()) === 50, { timeoutMs: 60_000 });

    storage = await mkdtemp(join(tmpdir(), 'minato-prometheus-'));
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(repoRoot, 'deploy/prometheus/prometheus.yml')}`,
        `--storage.tsdb.path=${storage}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await Promise.all(workers.map((w) => stopProcess(w)));
    await tmdb.close();
    await h.close();
    await rm(storage, { recursive: true, force: true });
  });

  it.each(Object.entries(ports))(
    'the %s worker exposes metrics that promtool check metrics accepts',
    async (_name, port) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^minato_queue_jobs\{/m);
      const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.stdin.end(text);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(output).toBe('');
      expect(code).toBe(0);
    },
  );

  it('sees all three targets up and minato_ series from each', async () => {
    const targets = await waitFor(
      'all three targets up',
      async () => {
        const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as PromResponse<{
          activeTargets: { labels: { worker: string }; health: string }[];
        }>;
        const up = body.data.activeTargets.filter((t) => t.health === 'up');
        return up.length === 3 ? up : null;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(targets.map((t) => t.labels.worker).sort()).toEqual(['enrichment', 'ingest', 'sync']);
    const series = await waitFor('minato_ series per worker', async () => {
      const query = encodeURIComponent('count by (worker) ({__name__=~"minato_.+"})');
      const body = (await (await fetch(`${promUrl}/api/v1/query?query=${query}`)).json()) as PromResponse<{
        result: { metric: { worker: string } }[];
      }>;
      return body.data.result.length === 3 ? body.data.result : null;
    });
    expect(series.map((s) => s.metric.worker).sort()).toEqual(['enrichment', 'ingest', 'sync']);
    const ingested = encodeURIComponent(
      'sum(minato_jobs_processed_total{queue="TORRENT_INGEST",outcome="completed"})',
    );
    const counted = async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/query?query=${ingested}`)).json()) as PromResponse<{
        result: { value: [number, string] }[];
      }>;
      return Number(body.data.result[0]?.value[1]);
    };
    await waitFor('the 50 ingest jobs counted', async () => (await counted()) === 50).catch(
      async (error: Error) => {
        throw new Error(`${error.message}; Prometheus counts ${await counted()}`);
      },
    );
  });
});
