import type { Job } from 'bullmq';
import { Semaphore } from '../util/semaphore.js';

/**
 * Bulk jobs a worker runs at once: while one job's documents are in flight, another's rows are read and parsed
 * and a third's are marked and handed off, so Elasticsearch always has the next batch (two were measured at 0.71 of
 * the ideal path at 200,000 torrents, three at 0.85 to 1.08; BENCHMARKS.md).
 */
export const BULK_JOBS_RUNNING = 3;

export interface BulkJobLimiterOptions {
  /** the worker whose concurrency is lowered and raised; BullMQ reads it before every fetch */
  worker: { concurrency: number };
  /** the worker's own concurrency (INGEST_CONCURRENCY, …): what live jobs get */
  concurrency: number;
  /** tells a bulk job from a live one */
  isBulk: (job: Pick<Job, 'name' | 'data'>) => boolean;
  bulkJobsRunning?: number;
}

/**
 * Keeps a worker from taking more bulk jobs than it runs. A worker's concurrency is sized for live jobs (pass 1
 * runs hundreds, one torrent each), and BullMQ fills every free slot with the next job, whatever its form: behind a
 * backlog one replica would take hundreds of bulk jobs at once, holding their hashes in memory and their locks,
 * leaving nothing for the other replicas and making a drain wait for all of them. Here a worker runs
 * `bulkJobsRunning` bulk jobs and holds one more ahead, and never more (docs/guarantees.md, "Cost follows work, not
 * table size").
 *
 * How: BullMQ counts slots, and a slot is a running job, a job that is being completed, or a fetch in flight (its
 * main loop opens a slot only while the slots are fewer than the concurrency; a completing job fetches the next one
 * into its own slot only while they are at most the concurrency). Any fetch may bring a bulk job, so the slots that
 * do not hold a live job are the bound on bulk jobs: the concurrency is the live jobs running plus the bulk jobs
 * allowed, never more than the worker's own. An earlier version raised the concurrency to the worker's own as soon
 * as a bulk job ended; a fetch of the main loop and the ended job's fetch of its next one then both brought a bulk
 * job, and a worker under load held five (issue 22). A live job is not held back: a slot that brings one raises
 * the concurrency by one, and BullMQ serves the wait list before prioritized bulk jobs.
 */
export class BulkJobLimiter {
  /** jobs taken whose processor has not returned, by id: true for a bulk job */
  private readonly held = new Map<string, boolean>();
  private bulkHeld = 0;
  private mostBulkHeld = 0;
  private readonly running: Semaphore;
  private readonly bulkJobsRunning: number;

  constructor(private readonly options: BulkJobLimiterOptions) {
    this.bulkJobsRunning = options.bulkJobsRunning ?? BULK_JOBS_RUNNING;
    this.running = new Semaphore(this.bulkJobsRunning);
    this.adjust();
  }

  /** The bulk jobs held now, and the most held at once since the worker started: the bound's own count. */
  get bulkJobs(): { held: number; most: number } {
    return { held: this.bulkHeld, most: this.mostBulkHeld };
  }

  /** The worker took `job` (called as BullMQ creates it, before the next fetch is decided). */
  taken(job: Job): void {
    if (job.id === undefined || this.held.has(job.id)) return;
    const bulk = this.options.isBulk(job);
    this.held.set(job.id, bulk);
    if (bulk) this.mostBulkHeld = Math.max(this.mostBulkHeld, ++this.bulkHeld);
    this.adjust();
  }

  /**
   * Runs a job's processor, a bulk job once one of the running slots is free. The job is released as its processor
   * returns, before BullMQ decides whether its slot fetches the next job.
   */
  async run<T>(job: Job, task: () => Promise<T>): Promise<T> {
    try {
      return job.id !== undefined && this.held.get(job.id) ? await this.running.run(task) : await task();
    } finally {
      this.release(job);
    }
  }

  /** The worker is done with `job` (idempotent: a job BullMQ failed without running it is released here too). */
  release(job: Pick<Job, 'id'>): void {
    const bulk = job.id === undefined ? undefined : this.held.get(job.id);
    if (bulk === undefined) return;
    this.held.delete(job.id!);
    if (bulk) this.bulkHeld--;
    this.adjust();
  }

  private adjust(): void {
    const live = this.held.size - this.bulkHeld;
    this.options.worker.concurrency = Math.min(this.options.concurrency, live + this.bulkJobsRunning + 1);
  }
}
