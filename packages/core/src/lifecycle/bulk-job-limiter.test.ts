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

function setup(concurrency = 500) {
  const worker = { concurrency };
  const limiter = new BulkJobLimiter({ worker, concurrency, isBulk: isBulkJob, bulkJobsRunning: 2 });
  const take = (job: Job) => {
    limiter.taken(job);
    return start(limiter, job);
  };
  return { worker, limiter, take };
}

/** A deterministic pseudo-random sequence (mulberry32), so that a failing order can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('BulkJobLimiter', () => {
  it('leaves slots for the bulk jobs it may hold beside the live jobs it runs, within the worker’s concurrency', async () => {
    const { worker, take } = setup(20);
    // Two running, one ahead: three slots before any job is taken.
    expect(worker.concurrency).toBe(3);
    const live = Array.from({ length: 10 }, () => take(liveJob()));
    expect(worker.concurrency).toBe(13);
    const more = Array.from({ length: 10 }, () => take(liveJob()));
    expect(worker.concurrency).toBe(20);
    [...live, ...more].forEach((r) => r.finish());
    await Promise.all([...live, ...more].map((r) => r.done));
    expect(worker.concurrency).toBe(3);
  });

  it('runs the bulk jobs it may run and starts the one held ahead when one of them ends', async () => {
    const { limiter, take } = setup();
    const [first, second, ahead] = [take(bulkJob()), take(bulkJob()), take(bulkJob())];
    await tick();
    expect([first.started, second.started, ahead.started]).toEqual([true, true, false]);
    expect(limiter.bulkJobs).toEqual({ held: 3, most: 3 });
    first.finish();
    await first.done;
    await tick();
    expect(ahead.started).toBe(true);
    expect(limiter.bulkJobs).toEqual({ held: 2, most: 3 });
    second.finish();
    ahead.finish();
    await Promise.all([second.done, ahead.done]);
  });

  it('never holds more bulk jobs than it runs plus one, whatever the order of BullMQ’s fetches and completions', () => {
    // BullMQ's rules (worker.ts, mainLoop and handleCompleted): a slot is a fetch in flight or a job taken. The
    // main loop opens a slot while the slots are fewer than the concurrency; a job whose processor returned
    // fetches its next job into its own slot while the slots are at most the concurrency. Every fetch here
    // brings a bulk job or a live one at random, in a random order of events.
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const { worker, limiter } = setup(50);
      const fetches: number[] = []; // one entry a fetch in flight
      const jobs: Job[] = [];
      for (let step = 0; step < 400; step++) {
        const slots = fetches.length + jobs.length;
        const event = next();
        if (event < 0.3 && slots < worker.concurrency) {
          fetches.push(step);
        } else if (event < 0.7 && fetches.length > 0) {
          fetches.pop();
          const job = next() < 0.5 ? bulkJob() : liveJob();
          jobs.push(job);
          limiter.taken(job);
        } else if (jobs.length > 0) {
          const [job] = jobs.splice(Math.floor(next() * jobs.length), 1);
          limiter.release(job!);
          // Its slot is still counted when BullMQ decides whether it fetches the next job.
          if (fetches.length + jobs.length + 1 <= worker.concurrency) fetches.push(step);
        }
        expect(limiter.bulkJobs.held, `seed ${seed}, step ${step}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('releases a job BullMQ failed without running it, and a job released twice counts once', () => {
    const { worker, limiter } = setup();
    const jobs = [liveJob(), liveJob()];
    jobs.forEach((job) => limiter.taken(job));
    expect(worker.concurrency).toBe(5);
    limiter.release(jobs[1]!);
    limiter.release(jobs[1]!);
    expect(worker.concurrency).toBe(4);
  });
});
