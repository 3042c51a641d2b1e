import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

describe('pass 1 loses nothing when things break', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const started = await startReadyWorker('ingest', { ...h.env, ...extra });
    workers.push(started.worker);
    return started;
  };
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
  });

  it('indexes all 5,000 after a SIGKILL mid-run, and never marks a row indexed without its document', async () => {
    h = await createHarness();
    const hashes = (await h.seed(5_000)).map((t) => t.infoHash);
    // Short locks: the killed worker's jobs come back within seconds instead of a minute (same mechanism).
    const { worker } = await start({ ES_BUFFER_MAX_DOCS: '200', JOB_LOCK_MS: '5000' });
    await h.enqueueIngest(hashes);
    await waitFor('a first part indexed', async () => (await h.pgIndexed(hashes)) >= 500, {
      timeoutMs: 60_000,
    });
    worker.child.kill('SIGKILL');
    await worker.exited;
    const partial = await h.pgIndexed(hashes);
    expect(partial).toBeLessThan(5_000);
    expect(await h.indexedButMissing(hashes)).toEqual([]);

    // The killed worker's active jobs come back once their locks expire (BullMQ's stalled-job check).
    await start({ JOB_LOCK_MS: '5000' });
    await waitFor('all 5,000 indexed after the restart', async () => (await h.pgIndexed(hashes)) === 5_000, {
      timeoutMs: 150_000,
      intervalMs: 500,
    });
    expect(await h.esCount()).toBe(5_000);
    expect(await h.indexedButMissing(hashes)).toEqual([]);
  });

  it("completes a job whose worker was killed under it twice: a stall is never the job's fault", async () => {
    h = await createHarness();
    const [hash] = (await h.seed(1)).map((t) => t.infoHash);
    const job = await h.queues.TORRENT_INGEST.add('ingest', { infoHash: hash! });
    // The table locked, the job's read of its row waits: the job stays in flight while its workers are killed.
    const lock = await h.sql.reserve();
    await lock`BEGIN`;
    await lock`LOCK TABLE torrents IN ACCESS EXCLUSIVE MODE`;
    try {
      const inFlight = async (stalls: number) => {
        const state = await job.getState();
        const current = await h.queues.TORRENT_INGEST.getJob(job.id!);
        // at least: a 1 s lock its worker renews late also counts a stall (the same mechanism as a kill)
        return state === 'active' && (current?.stalledCounter ?? 0) >= stalls;
      };
      // Short locks: a killed worker's job is found stalled by the next worker within about a second.
      for (const stalls of [0, 1]) {
        const { worker } = await start({ JOB_LOCK_MS: '1000' });
        await waitFor(`the job in flight after ${stalls} stalls or more`, () => inFlight(stalls), {
          timeoutMs: 60_000,
        });
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
      await start({ JOB_LOCK_MS: '1000' });
      await waitFor('the job in flight after 2 stalls or more', () => inFlight(2), { timeoutMs: 60_000 });
    } finally {
      await lock`ROLLBACK`;
      lock.release();
    }
    // The row is marked inside the job, before BullMQ records the completion: wait for the job itself.
    await waitFor('the job completed', async () => (await job.getState()) === 'completed', {
      timeoutMs: 60_000,
    });
    expect(await h.pgIndexed([hash!])).toBe(1);
    const done = await h.queues.TORRENT_INGEST.getJob(job.id!);
    expect(await done?.getState()).toBe('completed');
    // Two stalls are the kills'; a starved machine may add one more (a 1 s lock not renewed in time), which is the
    // same claim: stalls never spend the job's attempts.
    expect(done?.attemptsMade).toBe(1);
    expect(done?.stalledCounter).toBeGreaterThanOrEqual(2);
  });

  it('exits 0 on SIGTERM with 500 jobs in flight, finishing every job it took: none failed, no attempt consumed', async () => {
    h = await createHarness();
    const hashes = (await h.seed(5_000)).map((t) => t.infoHash);
    // The default lock: a drain finishes its jobs, so none has to come back (a short lock left unrenewed on a
    // starved machine would hand the jobs back to the queue as stalled, which is not what this test is about).
    const { worker } = await start({ ES_BUFFER_MAX_DOCS: '200', INGEST_CONCURRENCY: '500' });
    await h.enqueueIngest(hashes);
    await waitFor('a first part indexed', async () => (await h.pgIndexed(hashes)) >= 500, {
      timeoutMs: 60_000,
    });
    worker.child.kill('SIGTERM');
    const exit = await waitFor(
      'exit within 10 s',
      () => Promise.race([worker.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]),
      { timeoutMs: 11_000 },
    );
    expect(exit, worker.output()).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/drained/);
    expect(worker.output()).not.toMatch(/was not queued|not indexed/);

    const queue = h.queues.TORRENT_INGEST;
    const counts = await queue.getJobCounts(
      'active',
      'wait',
      'delayed',
      'prioritized',
      'failed',
      'completed',
    );
    expect(counts).toMatchObject({ active: 0, delayed: 0, failed: 0 });
    const indexed = await h.pgIndexed(hashes);
    // Every job is either done (row indexed, document present) or waiting, untouched, for the next worker.
    expect(counts.completed).toBe(indexed);
    expect(indexed + (counts.wait ?? 0) + (counts.prioritized ?? 0)).toBe(5_000);
    expect(await h.indexedButMissing(hashes)).toEqual([]);
    const waiting = await queue.getJobs(['wait', 'prioritized']);
    expect(waiting.filter((job) => job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0)).toEqual([]);
    const completed = await queue.getJobs(['completed']);
    expect(completed.filter((job) => job.attemptsMade !== 1)).toEqual([]);

    await start();
    await waitFor('the rest indexed by the next worker', async () => (await h.pgIndexed(hashes)) === 5_000, {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  });
});
