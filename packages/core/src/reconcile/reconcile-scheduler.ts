import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Runtime } from '../lifecycle/runtime.js';
import { reconcile } from './reconciler.js';

export const RECONCILE_QUEUE = 'MINATO_RECONCILE';
const SCHEDULER_ID = 'reconcile';

export interface ReconcileScheduler {
  close(): Promise<void>;
}

/**
 * Runs the reconciler as a repeatable BullMQ job (every RECONCILE_EVERY_MS, one run at a time across all
 * replicas). The scheduler is upserted again every minute: it lives in Redis, and a Redis that lost its
 * data must not silently stop the one mechanism that repairs that loss.
 */
export async function startReconcileScheduler(runtime: Runtime, logger: Logger): Promise<ReconcileScheduler> {
  const { config } = runtime;
  if (config.RECONCILE_EVERY_MS === 0) return { close: () => Promise.resolve() };
  const queue = new Queue(RECONCILE_QUEUE, { connection: runtime.redis, prefix: config.QUEUE_PREFIX });
  const upsert = () =>
    queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: config.RECONCILE_EVERY_MS },
        { name: SCHEDULER_ID, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'could not upsert the reconcile scheduler'));
  await upsert();
  const timer = setInterval(() => void upsert(), 60_000);
  const connection = runtime.redis.duplicate();
  const worker = new Worker(
    RECONCILE_QUEUE,
    async () => {
      const summary = await reconcile({
        repository: runtime.repository,
        search: runtime.search,
        index: config.ELASTICSEARCH_INDEX,
        queues: runtime.queues,
      });
      logger.info(summary, 'reconciled PostgreSQL and Elasticsearch');
      return summary;
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: 1 },
  );
  worker.on('error', (error) => logger.warn({ err: error }, 'reconcile worker error'));
  return {
    async close() {
      clearInterval(timer);
      await worker.close();
      await queue.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
