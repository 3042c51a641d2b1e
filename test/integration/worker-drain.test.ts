import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

// The drain can only be started from inside the pod (a signal to the process), and a drained worker leaves.
describe('a worker drains only on its own signal, and always exits once drained', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
  });

  it('ignores a drain request from another process: still ready, still taking jobs', async () => {
    h = await createHarness();
    const { worker, port } = await startReadyWorker('ingest', h.env);
    workers.push(worker);
    const base = `http://127.0.0.1:${port}`;
    for (const method of ['GET', 'POST']) {
      expect((await fetch(`${base}/drain`, { method })).status, worker.tail()).toBe(404);
    }
    expect((await fetch(`${base}/readyz`)).status, worker.tail()).toBe(200);
    const hashes = (await h.seed(20)).map((t) => t.infoHash);
    await h.enqueueIngest(hashes);
    await waitFor(
      'the 20 torrents indexed after the request',
      async () => (await h.pgIndexed(hashes)) === 20,
      {
        timeoutMs: 60_000,
      },
    );
    expect(worker.output()).not.toMatch(/draining/);
    expect(worker.child.exitCode, worker.tail()).toBeNull();
  });

  it('exits 0 after the preStop signal and the SIGTERM Kubernetes sends after it, its jobs done', async () => {
    h = await createHarness();
    const { worker } = await startReadyWorker('ingest', h.env);
    workers.push(worker);
    const hashes = (await h.seed(200)).map((t) => t.infoHash);
    await h.enqueueIngest(hashes);
    await waitFor('a first torrent indexed', async () => (await h.pgIndexed(hashes)) > 0, {
      timeoutMs: 60_000,
    });
    // The preStop hook's `kill -TERM 1`, then the kubelet's own SIGTERM once the hook returned.
    const exited = stopProcess(worker, 'SIGTERM');
    await waitFor('the drain to start', () => /draining/.test(worker.output()), { timeoutMs: 10_000 });
    worker.child.kill('SIGTERM');
    expect(await exited, worker.tail()).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/"msg":"drained"/);
    expect(worker.output()).not.toMatch(/second signal/);
    const counts = await h.queues.TORRENT_INGEST.getJobCounts('active', 'failed');
    expect(counts).toEqual({ active: 0, failed: 0 });
  });
});
