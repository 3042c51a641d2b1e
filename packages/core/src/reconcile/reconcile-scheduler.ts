import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { duplicateRedis, type RedisClient } from '../queues/redis-client.js';
import type { RedisKeys } from '../queues/redis-keys.js';
import { reconcileChanges, type ReconcileChangesOptions } from './reconcile-changes.js';
import { redisLossMarker } from './redis-loss-marker.js';

export const RECONCILE_QUEUE = 'MINATO_RECONCILE';
const SCHEDULER_ID = 'reconcile';

export interface ReconcileSchedulerOptions {
  /** the process's Redis connection; the scheduler's worker takes a duplicate of its own */
  redis: RedisClient;
  /** the deployment's keys: the reconcile queue's prefix and the Redis-loss marker */
  keys: RedisKeys;
  /** milliseconds between passes; 0 turns the scheduler off */
  everyMs: number;
  /** what one pass reads, where it sends what it finds, and its checkpoint */
  reconcile: Omit<ReconcileChangesOptions, 'onPage' | 'redisLoss'>;
  logger: Logger;
}

export interface ReconcileScheduler {
  close(): Promise<void>;
}

/**
 * Runs the reconciler (`reconcileChanges`: what changed since its checkpoint) as a repeatable BullMQ job (every `everyMs`, one run at a time across all replicas).
 * The scheduler is upserted again every minute: it lives in Redis, and a Redis that lost its data must not
 * silently stop the one mechanism that repairs that loss.
 */
export async function startReconcileScheduler(
  options: ReconcileSchedulerOptions,
): Promise<ReconcileScheduler> {
  const { redis, keys, everyMs, logger } = options;
  const prefix = keys.queuePrefix(RECONCILE_QUEUE);
  if (everyMs === 0) return { close: () => Promise.resolve() };
  const queue = new Queue(RECONCILE_QUEUE, { connection: redis, prefix });
  const upsert = () =>
    queue
      .upsertJobScheduler(
        SCHEDULER_ID,
        { every: everyMs },
        { name: SCHEDULER_ID, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      )
      .catch((error: unknown) => logger.warn({ err: error }, 'could not upsert the reconcile scheduler'));
  await upsert();
  const timer = setInterval(() => void upsert(), 60_000);
  const connection = duplicateRedis(redis);
  const redisLoss = redisLossMarker(redis, keys.reconcilerMarker);
  const worker = new Worker(
    RECONCILE_QUEUE,
    async () => {
      const summary = await reconcileChanges({ ...options.reconcile, redisLoss });
      logger.info(summary, 'reconciled');
      return summary;
    },
    { connection, prefix, concurrency: 1 },
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
