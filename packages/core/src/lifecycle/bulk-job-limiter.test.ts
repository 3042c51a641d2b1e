import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { isBulkJob } from '../queues/job-catalog.js';
import { BulkJobLimiter } from './bulk-job-limiter.js';

let nextId = 0;
const liveJob = () =>
  ({ id: String(++nextId), name: 'TORRENT_INGEST', data: { infoHash: 'a'.repeat(40) } }) as Job;
const bulkJob = () =>
  ({ id: String(++nextId), name: 'TORRENT_INGEST:bulk:1000', data: { infoHashes: [] } }) as unknown as Job;

/** A job the test finishes when it likes, run through the limiter as the worker would. */
function start(limiter: BulkJobLimiter, job: Job) {
  const run = { started: false, finish: () => undefined as void, done: Promise.resolve() };
  run.done = limiter.run(
    job,
    () =>
      new Promise<void>((resolve) => {
        run.started = true;
        run.finish = resolve;
      }),
  );
  return run;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const worker = { concurrency: 500 };
  const limiter = new BulkJobLimiter({ worker, concurrency: 500, isBulk: isBulkJob, bulkJobsRunning: 2 });
  const take = (job: Job) => {
    limiter.taken(job);
    return start(limiter, job);
  };
  return { worker, limiter, take };
}

describe('BulkJobLimiter', () => {
  it('takes one bulk job beyond those it runs, then no job at all until a bulk job ends', async () => {
    const { worker, take } = setup();
    const [first, second] = [take(bulkJob()), take(bulkJob())];
    const live = take(liveJob());
    expect(worker.concurrency).toBe(500);
    const ahead = take(bulkJob());
    // Four jobs held: BullMQ fetches no more, and takes no next job when the live one completes.
    expect(worker.concurrency).toBe(4);
    await tick();
    expect([first.started, second.started, live.started, ahead.started]).toEqual([true, true, true, false]);
    live.finish();
    await live.done;
    expect(worker.concurrency).toBe(3);
    first.finish();
    await first.done;
    await tick();
    // The bulk job taken ahead runs now, and the freed slot may take the next job (a live one first).
    expect(ahead.started).toBe(true);
    expect(worker.concurrency).toBe(500);
    second.finish();
    ahead.finish();
    await Promise.all([second.done, ahead.done]);
  });

  it('gives live jobs the whole concurrency while no bulk job waits', async () => {
    const { worker, take } = setup();
    const runs = [take(bulkJob()), ...Array.from({ length: 10 }, () => take(liveJob()))];
    await tick();
    expect(runs.every((r) => r.started)).toBe(true);
    expect(worker.concurrency).toBe(500);
    runs.forEach((r) => r.finish());
    await Promise.all(runs.map((r) => r.done));
  });

  it('releases a job BullMQ failed without running it, and a job released twice counts once', () => {
    const { worker, limiter } = setup();
    const jobs = [bulkJob(), bulkJob(), bulkJob()];
    jobs.forEach((job) => limiter.taken(job));
    expect(worker.concurrency).toBe(3);
    limiter.release(jobs[2]!);
    limiter.release(jobs[2]!);
    expect(worker.concurrency).toBe(500);
    limiter.taken(bulkJob());
    expect(worker.concurrency).toBe(3);
  });
});
