import { Worker, type Job } from 'bullmq';
import type { QueueName } from '../queues/job-catalog.js';
import type { JobProcessor } from '../queues/typed-processor.js';
import { startHealthServer, type HealthServer } from '../http/health-server.js';
import { readinessChecks, registerRuntimeQueueMetrics, type Runtime } from './runtime.js';

export interface WorkerProcessOptions {
  runtime: Runtime;
  queue: QueueName;
  /** built with `typedProcessor(queue, …)`, so the payload is parsed and permanent errors fail at once */
  processor: JobProcessor;
  concurrency: number;
  /** flushes buffers and stops the worker's own pieces, after the worker stopped taking jobs */
  onDrain?: (deadlineMs: number) => Promise<void>;
}

export interface WorkerProcess {
  worker: Worker;
  health: HealthServer;
  /** stop taking jobs, finish in-flight ones, flush, close connections; idempotent */
  drain(): Promise<void>;
}

/** Starts one queue's worker with its metrics/health server; `drain` is what SIGTERM and preStop call. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const { runtime, queue, processor, concurrency } = options;
  const { logger, jobMetrics, config } = runtime;
  // BullMQ never closes a connection it is handed: this one is ours to quit after the worker closed.
  const connection = runtime.redis.duplicate();
  const worker = new Worker(queue, processor, {
    connection,
    concurrency,
    autorun: false,
    prefix: runtime.keys.bullmq,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
  });
  registerRuntimeQueueMetrics(runtime);
  const observe = (job: Job | undefined, outcome: 'completed' | 'failed') => {
    jobMetrics.processed.inc({ queue, outcome });
    if (job?.processedOn) jobMetrics.duration.observe({ queue }, (Date.now() - job.processedOn) / 1000);
  };
  worker.on('completed', (job) => observe(job, 'completed'));
  worker.on('failed', (job, error) => {
    observe(job, 'failed');
    logger.warn({ jobId: job?.id, data: job?.data as unknown, reason: error.message }, 'job failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'worker error'));

  let draining: Promise<void> | null = null;
  const drain = () => {
    draining ??= (async () => {
      const started = Date.now();
      logger.info('draining: no new jobs, finishing the ones in flight');
      const deadline = Math.max(1_000, config.SHUTDOWN_TIMEOUT_MS - 3_000);
      // The buffer must flush while the worker waits for its in-flight jobs: those jobs await the flush.
      // Bounded, whether SIGTERM or the preStop hook's GET /drain started it: past the deadline the
      // worker closes forcibly and unfinished jobs go back to the queue as stalled.
      const finished = Promise.all([worker.close(), options.onDrain?.(deadline)]);
      const timedOut = await Promise.race([
        finished.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deadline + 1_000).unref()),
      ]);
      if (timedOut) {
        logger.warn({ deadlineMs: deadline }, 'drain deadline reached: closing the worker forcibly');
        await worker.close(true);
      }
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
    onDrain: drain,
    logger,
  });
  worker.run().catch((error: unknown) => logger.error({ err: error }, 'worker stopped with an error'));
  logger.info({ queue, concurrency, metricsPort: health.port }, 'worker started');
  return { worker, health, drain };
}
