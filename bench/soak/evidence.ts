import { createLogger, QUEUES, TokenBucket, tmdbBucketKey, type QueueSet } from '@minato/core';
import type { Redis } from 'ioredis';

/** A job left failed in a queue, as read from Redis. */
export interface FailedJob {
  queue: string;
  reason: string;
  data: unknown;
}

/**
 * What only Redis holds and a Redis restart wipes: the bucket's ledger (every TMDB grant, on Redis time) and the
 * failed jobs. Read before each restart and at the end, one segment per Redis life: a restart refills the bucket,
 * so the budget is checked within each segment, never across a restart.
 */
export class RedisEvidence {
  /** the ledger's grants of each Redis life, microseconds, oldest first */
  readonly grantSegments: number[][] = [];
  readonly failed: FailedJob[] = [];
  private readonly bucket: TokenBucket;

  constructor(
    redis: Redis,
    tmdb: { baseUrl: string; apiKey: string },
    private readonly queues: QueueSet,
  ) {
    // Only the ledger is read, so the bucket's size does not matter here.
    this.bucket = new TokenBucket({
      redis,
      key: tmdbBucketKey(tmdb.baseUrl, tmdb.apiKey),
      capacity: 1,
      refillPerSecond: 1,
      logger: createLogger({ level: 'silent', format: 'json' }),
    });
  }

  /** Reads the current Redis life's evidence; call it right before a restart, and once at the end. */
  async collect(): Promise<void> {
    this.grantSegments.push((await this.bucket.ledger()).grants);
    for (const queue of Object.values(QUEUES)) {
      for (const job of await this.queues[queue].getFailed(0, -1)) {
        this.failed.push({ queue, reason: job.failedReason, data: job.data });
      }
    }
  }
}
