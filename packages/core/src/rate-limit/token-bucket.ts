import { performance } from 'node:perf_hooks';
import type { Result } from 'ioredis';
import type { RedisClient } from '../queues/redis-client.js';
import { componentLogger, type Logger } from '../logging/index.js';
import type { GrantFence } from './grant-fence.js';
import type { RateLimiterMetrics } from './rate-limiter-metrics.js';
import { pauseScript, takeTokenScript } from './token-bucket-scripts.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** [waitMs, serverTimeUs, paused, runId?, replicas?] — see `takeTokenScript` */
    minatoTakeToken(
      key: string,
      ledgerKey: string,
      capacity: number,
      refillPerSecond: number,
      nameNode: '0' | '1',
    ): Result<[number, number, number, string?, number?], Context>;
    /** [fromUs, untilUs, started] — see `pauseScript` */
    minatoPauseBucket(
      key: string,
      ledgerKey: string,
      pauseMs: number,
    ): Result<[number, number, number], Context>;
  }
}

// After a withheld grant: a failover under way settles within seconds, and each try costs a token.
const WITHHELD_RETRY_MS = 500;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TokenBucketOptions {
  /** any ioredis client; the bucket's scripts are defined on it */
  redis: RedisClient;
  /** the hash every replica shares: `tmdbBucketKey(baseUrl, apiKey)`, e.g. `minato:tmdb:{9f2c…}:bucket` */
  key: string;
  /** tokens the bucket holds when full: the largest burst */
  capacity: number;
  /** tokens added per second */
  refillPerSecond: number;
  /** the root logger; the bucket logs under component `rate-limiter` */
  logger: Logger;
  metrics?: RateLimiterMetrics;
  sleep?: Sleep;
  /** confirms each grant before it is spent (Sentinel mode: sentinelGrantFence); none spends every grant */
  fence?: GrantFence;
}

/** A token taken from the bucket. */
export interface Grant {
  /** Redis server time when the token was taken, microseconds since the epoch */
  atUs: number;
  /** how long this acquire waited, by this process's clock */
  waitedMs: number;
}

/** A pause set on the bucket, in Redis server time (microseconds since the epoch). */
export interface Pause {
  fromUs: number;
  untilUs: number;
}

/** What the bucket itself recorded, in Redis server time: the evidence that the limit held. */
export interface Ledger {
  /** when each token was taken, microseconds since the epoch, oldest first */
  grants: number[];
  /** every pause set, oldest first */
  pauses: Pause[];
}

/**
 * A token bucket in Redis shared by every replica, with a shared pause for TMDB's 429s
 * (docs/guarantees.md, "The TMDB limit holds across replicas").
 */
export class TokenBucket {
  private readonly redis: RedisClient;
  private readonly key: string;
  private readonly ledgerKey: string;
  private readonly capacity: number;
  private readonly refillPerSecond: number;
  private readonly logger: Logger;
  private readonly metrics: RateLimiterMetrics | undefined;
  private readonly sleep: Sleep;
  private readonly fence: GrantFence | undefined;

  constructor(options: TokenBucketOptions) {
    this.redis = options.redis;
    this.key = options.key;
    this.ledgerKey = `${options.key}:ledger`;
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.logger = componentLogger(options.logger, 'rate-limiter');
    this.metrics = options.metrics;
    this.sleep = options.sleep ?? abortableSleep;
    this.fence = options.fence;
    // ioredis runs these with EVALSHA and falls back to EVAL when the server has not seen the script yet.
    this.redis.defineCommand('minatoTakeToken', { numberOfKeys: 2, lua: takeTokenScript });
    this.redis.defineCommand('minatoPauseBucket', { numberOfKeys: 2, lua: pauseScript });
  }

  /** Resolves once a token is taken; sleeps exactly as long as Redis says, and rejects when `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<Grant> {
    const started = performance.now();
    for (;;) {
      signal?.throwIfAborted();
      const [waitMs, atUs, paused, runId, replicas] = await this.redis.minatoTakeToken(
        this.key,
        this.ledgerKey,
        this.capacity,
        this.refillPerSecond,
        this.fence ? '1' : '0',
      );
      if (
        waitMs === 0 &&
        this.fence &&
        !(await this.fence.confirm({ runId: runId ?? '', replicas: replicas ?? 0 }))
      ) {
        // the token stays taken and unspent: one call fewer, never one the next master does not know of
        this.metrics?.grantsWithheld.inc();
        this.logger.info(
          { runId, replicas },
          'TMDB grant withheld: the node that granted cannot show it survives a failover; trying again',
        );
        await this.sleep(WITHHELD_RETRY_MS, signal);
        continue;
      }
      if (waitMs === 0) {
        const waitedMs = performance.now() - started;
        this.metrics?.tokensGranted.inc();
        this.metrics?.waitSeconds.observe(waitedMs / 1000);
        return { atUs, waitedMs };
      }
      this.logger.debug(
        { waitMs, paused: paused === 1 },
        paused === 1 ? 'TMDB pause in force; waiting' : 'bucket empty; waiting for a token',
      );
      await this.sleep(waitMs, signal);
    }
  }

  /** Stops every replica from taking tokens for `ms` (a 429's Retry-After); never shortens a longer pause. */
  async pause(ms: number): Promise<Pause> {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`a pause must be a non-negative number of milliseconds, got ${String(ms)}`);
    }
    const [fromUs, untilUs, started] = await this.redis.minatoPauseBucket(
      this.key,
      this.ledgerKey,
      Math.ceil(ms),
    );
    this.metrics?.pauses.inc();
    const seconds = Math.round((untilUs - fromUs) / 1e5) / 10;
    if (started === 1) {
      this.logger.info({ pauseMs: ms }, `TMDB asked us to pause for ${String(seconds)}s; all replicas wait`);
    } else {
      this.logger.debug(
        { pauseMs: ms, remainingS: seconds },
        'TMDB asked for a pause while one is in force; the later end wins',
      );
    }
    return { fromUs, untilUs };
  }

  /** The grants and pauses the bucket recorded (the last ~10,000), read from its ledger stream. */
  async ledger(): Promise<Ledger> {
    const ledger: Ledger = { grants: [], pauses: [] };
    for (const [, fields] of await this.redis.xrange(this.ledgerKey, '-', '+')) {
      const entry = new Map<string, number>();
      for (let i = 0; i + 1 < fields.length; i += 2) entry.set(fields[i]!, Number(fields[i + 1]));
      const grant = entry.get('grant');
      const fromUs = entry.get('pause_from');
      const untilUs = entry.get('pause_until');
      if (grant !== undefined) ledger.grants.push(grant);
      else if (fromUs !== undefined && untilUs !== undefined) ledger.pauses.push({ fromUs, untilUs });
    }
    return ledger;
  }
}

const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
