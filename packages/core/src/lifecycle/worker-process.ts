import { hostname } from 'node:os';
import { UnrecoverableError, WaitingError, type Job, type Worker } from 'bullmq';
import { outageOf, type Dependency } from '../errors.js';
import { isBulkJob, type QueueName } from '../queues/job-catalog.js';
import type { JobProcessor } from '../queues/typed-processor.js';
import { startHealthServer, type HealthServer } from '../http/health-server.js';
import { registerBulkJobMetrics } from '../metrics/bulk-job-metrics.js';
import { dependencyProbes } from '../parking/dependency-probes.js';
import { QueueParking, type Probe } from '../parking/queue-parking.js';
import { WorkerStatePublisher } from '../parking/worker-state.js';
import { BulkJobLimiter } from './bulk-job-limiter.js';
import { TolerantWorker } from './tolerant-worker.js';
import { readinessChecks, registerRuntimeQueueMetrics, type Runtime } from './runtime.js';

export interface WorkerProcessOptions {
  runtime: Runtime;
  queue: QueueName;
  /** built with `typedProcessor(queue, …)`, so the payload is parsed and permanent errors fail at once */
  processor: JobProcessor;
  concurrency: number;
  /** probes beyond Redis, PostgreSQL and Elasticsearch (pass 2 adds TMDB's), run while the queue is parked */
  probes?: Partial<Record<Dependency, Probe>>;
  /**
   * Called when a drain starts and the worker stops taking jobs: the jobs in flight still run and must be
   * able to finish (the buffer stays open for them, but stops waiting for its timers).
   */
  onDrainStart?: () => void;
  /** flushes buffers and stops the worker's own pieces, once the worker has no job left in flight */
  onDrain?: (deadlineMs: number) => Promise<void>;
}

export interface WorkerProcess {
  worker: Worker;
  health: HealthServer;
  parking: QueueParking;
  /** stop taking jobs, finish in-flight ones, flush, close connections; idempotent */
  drain(): Promise<void>;
}

// Whatever the drain's budget, the final flush gets at least this long.
const MIN_FLUSH_MS = 1_000;

/** Starts one queue's worker with its metrics/health server; `drain` is what SIGTERM and SIGINT call. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { runtime, queue, concurrency } = options;
  const { logger, jobMetrics, config } = runtime;
  // BullMQ never closes a connection it is handed: this one is ours to quit after the worker closed.
  const connection = runtime.redis.duplicate();
  const parking = new QueueParking({
    queue,
    stop: () => void worker.pause(true),
    // BullMQ 6's resume reports its own failures as the worker's 'error' events and never rejects.
    start: () => void worker.resume(),
    probes: { tmdb: () => Promise.resolve(), ...dependencyProbes(runtime), ...options.probes },
    logger,
    registry: runtime.registry,
  });
  // An outage is no fault of the job: it goes back to the head of the wait list with its attempts intact
  // (BullMQ's WaitingError, thrown after moveToWait, neither fails nor retries it) and the queue parks.
  const processor = (job: Job, token?: string): Promise<unknown> =>
    limiter.run(job, async () => {
      const startedAt = Date.now();
      const raw = worker.rawDataOf(job);
      if (raw !== undefined) {
        throw new UnrecoverableError(
          `invalid ${queue} payload: job data is not JSON: ${JSON.stringify(raw.slice(0, 80))}`,
        );
      }
      try {
        return await options.processor(job);
      } catch (error) {
        const outage = outageOf(error);
        if (!outage || token === undefined || !(await parking.park(error, outage, startedAt))) throw error;
        await job.moveToWait(token);
        jobMetrics.processed.inc({ queue, outcome: 'parked' });
        throw new WaitingError();
      }
    });
  const worker = new TolerantWorker(queue, processor, {
    connection,
    concurrency,
    autorun: false,
    prefix: runtime.keys.bullmq,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
    maxStalledCount: config.JOB_MAX_STALLED,
  });
  const limiter = new BulkJobLimiter({ worker, concurrency, isBulk: isBulkJob });
  worker.onTaken = (job) => limiter.taken(job);
  registerBulkJobMetrics(runtime.registry, queue, () => limiter.bulkJobs);
  registerRuntimeQueueMetrics(runtime);
  const observe = (job: Job | undefined, outcome: 'completed' | 'failed') => {
    jobMetrics.processed.inc({ queue, outcome });
    if (job?.processedOn) jobMetrics.duration.observe({ queue }, (Date.now() - job.processedOn) / 1000);
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job, error) => {
    if (job) limiter.release(job);
    observe(job, 'failed');
    logger.warn({ jobId: job?.id, data: job?.data as unknown, reason: error.message }, 'job failed');
  });
  worker.on('error', (error) => {
    const outage = outageOf(error);
    if (outage === 'unreachable') {
      // BullMQ reports every reconnection attempt: the queue parks once (one line naming cause and fix), and
      // the attempts stay at debug. Its own jobs wait in Redis meanwhile, their attempts untouched.
      logger.debug({ err: error }, 'worker connection error');
      void parking.park(error, outage);
      return;
    }
    logger.error({ err: error }, 'worker error');
  });

  let draining: Promise<void> | null = null;
  let drainStarted = false;
  const states = new WorkerStatePublisher({
    redis: runtime.redis,
    key: runtime.keys.workerStates,
    queue,
    instance: `${hostname()}:${process.pid}`,
    current: () => {
      if (drainStarted) return { state: 'draining', parked: null };
      const parked = parking.state;
      return { state: parked ? 'parked' : 'ready', parked };
    },
    logger,
  });
  const drain = () => {
    draining ??= (async () => {
      const started = Date.now();
      drainStarted = true;
      logger.info('draining: no new jobs, finishing the ones in flight');
      parking.close();
      // Not awaited: the drain never waits on Redis for a line on the console.
      void states.publish();
      const budget = Math.max(MIN_FLUSH_MS, config.SHUTDOWN_TIMEOUT_MS - 3_000);
      // Every job taken is finished before the buffer closes: a job that has not reached the buffer yet
      // must still find it open (docs/how-it-works.md, Faults and hostile input). The buffer sends at once meanwhile, so the in-flight
      // jobs, each awaiting its document, do not wait for a timer. Past the budget the worker closes
      // forcibly and the jobs still running go back to the queue as stalled.
      options.onDrainStart?.();
      const stopped = await Promise.race([
        worker.close().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), budget).unref()),
      ]);
      if (!stopped) {
        logger.warn({ budgetMs: budget }, 'drain budget reached: closing the worker forcibly');
        await worker.close(true);
      }
      await options.onDrain?.(Math.max(MIN_FLUSH_MS, budget - (Date.now() - started)));
      await states.close();
      await connection.quit().catch(() => connection.disconnect());
      await runtime.close();
      logger.info({ ms: Date.now() - started }, 'drained');
    })();
    return draining;
  };

  const health = await startHealthServer({
    port: config.METRICS_PORT,
    registry: runtime.registry,
    checks: readinessChecks(runtime),
    parked: () => parking.state,
    draining: () => draining !== null,
    logger,
  });
  worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped with an error'));
  void states.publish();
  logger.info({ queue, concurrency, metricsPort: health.port }, 'worker started');
  return { worker, health, parking, drain };
}
