import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { within } from '../util/within.js';
import type { ParkedState } from './queue-parking.js';

/** What one worker process last said of itself: taking jobs, parked by an outage, or draining. */
export interface WorkerState {
  queue: string;
  /** the pod's host name and the process id: one entry per process */
  instance: string;
  state: 'ready' | 'parked' | 'draining';
  /** why the worker is parked, with the fix, as its /readyz gives it; null unless parked */
  parked: ParkedState | null;
  /** epoch milliseconds of the publication */
  at: number;
}

/** How long a state counts without being published again: three missed publications and the worker is gone. */
export const WORKER_STATE_TTL_MS = 15_000;
const PUBLISH_EVERY_MS = 5_000;
const CLOSE_MS = 1_000;

export interface WorkerStatePublisherOptions {
  redis: Redis;
  /** `RedisKeys.workerStates` */
  key: string;
  queue: string;
  instance: string;
  /** the state now; read at each publication */
  current: () => Pick<WorkerState, 'state' | 'parked'>;
  logger: Logger;
  everyMs?: number;
}

/**
 * Publishes a worker's state to Redis every few seconds, so the console shows every replica's state without
 * reaching pod IPs (docs/console.md). An entry older than WORKER_STATE_TTL_MS is a worker gone; the hash as a
 * whole expires with the last worker publishing into it.
 */
export class WorkerStatePublisher {
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: WorkerStatePublisherOptions) {
    this.timer = setInterval(() => void this.publish(), options.everyMs ?? PUBLISH_EVERY_MS);
    this.timer.unref();
  }

  /** Writes the current state now; never throws (Redis down is what parks the worker, and is shown there). */
  async publish(): Promise<void> {
    const { redis, key, queue, instance, current, logger } = this.options;
    const state: WorkerState = { queue, instance, ...current(), at: Date.now() };
    if (redis.status !== 'ready') return;
    try {
      await redis
        .multi()
        .hset(key, `${queue}:${instance}`, JSON.stringify(state))
        .pexpire(key, WORKER_STATE_TTL_MS)
        .exec();
      // Each restart is a new process, a new field: the entries of processes gone are dropped by those alive.
      const stale = Object.entries(await redis.hgetall(key))
        .filter(([, text]) => {
          const other = parseState(text);
          return other === null || state.at - other.at >= WORKER_STATE_TTL_MS;
        })
        .map(([field]) => field);
      if (stale.length > 0) await redis.hdel(key, ...stale);
    } catch (error) {
      logger.debug({ err: error }, 'worker state not published');
    }
  }

  /** Stops publishing and removes this worker's entry, so the console stops listing it at once. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const { redis, key, queue, instance } = this.options;
    if (redis.status !== 'ready') return;
    // A drain must not wait on a Redis that stopped answering: the entry then expires by itself.
    await within(CLOSE_MS, redis.hdel(key, `${queue}:${instance}`), 'worker state not removed').catch(
      () => undefined,
    );
  }
}

/** Every worker that published within WORKER_STATE_TTL_MS, by queue then instance. */
export async function readWorkerStates(redis: Redis, key: string, now = Date.now()): Promise<WorkerState[]> {
  return Object.values(await redis.hgetall(key))
    .map(parseState)
    .filter((s): s is WorkerState => s !== null && now - s.at < WORKER_STATE_TTL_MS)
    .sort((a, b) => a.queue.localeCompare(b.queue) || a.instance.localeCompare(b.instance));
}

function parseState(text: string): WorkerState | null {
  try {
    const state = JSON.parse(text) as Partial<WorkerState>;
    return typeof state.at === 'number' && typeof state.queue === 'string' ? (state as WorkerState) : null;
  } catch {
    return null;
  }
}
