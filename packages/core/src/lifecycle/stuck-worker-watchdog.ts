import type { Logger } from 'pino';
import type { ParkedState } from '../parking/queue-parking.js';

export interface StuckWorkerWatchdogOptions {
  queue: string;
  /** jobs waiting for this worker (wait + prioritized), read over its non-blocking connection */
  backlog: () => Promise<number>;
  /** jobs taken since start: a count that only grows */
  taken: () => number;
  /** jobs running now */
  inFlight: () => number;
  /** false while the worker is meant not to take jobs (parked, paused, draining) */
  expectedToTake: () => boolean;
  /** ioredis's status of the worker's blocking connection, named in the log line (not evidence: see below) */
  blockingStatus: () => Promise<string | undefined>;
  /** how long the stuck state must last before `onStuck` */
  stuckAfterMs: number;
  checkEveryMs: number;
  /** what ends the stuck state: the worker process exits and Kubernetes starts a fresh one (docs/redis.md) */
  onStuck: (state: ParkedState) => void;
  logger: Logger;
}

/**
 * Notices the stuck-worker mode of BullMQ's tracker (taskforcesh/bullmq #3088, #2964, #4378): after a Sentinel
 * failover the blocking connection ends in ioredis's terminal `end` state, the worker still counts as running,
 * and jobs wait forever. Stuck means all at once, for `stuckAfterMs`: jobs waiting, none taken, none running.
 * The blocking connection's status is not required to look dead: a Redis Cluster client says `ready` while the
 * reconnect BullMQ awaits never settles (redis-client.ts, `enableReadyCheck`), and a worker with jobs waiting
 * and nothing running takes one within BullMQ's longest block (10 s) whatever its connection. Meanwhile `state`
 * makes /readyz not ready; then `onStuck` ends it.
 */
export class StuckWorkerWatchdog {
  private suspect: ParkedState | null = null;
  private lastTaken = -1;
  private timer: NodeJS.Timeout | null = null;
  private fired = false;

  constructor(private readonly options: StuckWorkerWatchdogOptions) {}

  /** The stuck state while it is suspected, as /readyz shows a parked worker; null otherwise. */
  get state(): ParkedState | null {
    return this.suspect;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.checkEveryMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.suspect = null;
  }

  /** One look at the worker: the interval's, or a test's that drives the watchdog step by step. */
  async check(): Promise<void> {
    const { options } = this;
    const taken = options.taken();
    const tookOne = taken !== this.lastTaken;
    this.lastTaken = taken;
    if (this.fired || tookOne || !options.expectedToTake() || options.inFlight() > 0) {
      this.suspect = null;
      return;
    }
    const [backlog, status] = await Promise.all([
      // unknown (Redis itself away) is not evidence of a stuck worker: the parking handles outages
      options.backlog().catch(() => 0),
      options.blockingStatus().catch(() => undefined),
    ]);
    if (backlog === 0) {
      this.suspect = null;
      return;
    }
    const now = Date.now();
    this.suspect ??= {
      cause: 'redis',
      reason: `${options.queue} has ${backlog} jobs waiting and took none (its blocking Redis connection says ${status ?? 'gone'})`,
      fix: 'none needed: the worker exits and its restart opens fresh connections',
      since: new Date(now).toISOString(),
    };
    if (now - Date.parse(this.suspect.since) < options.stuckAfterMs) return;
    this.fired = true;
    options.logger.fatal(
      { queue: options.queue, backlog, blockingStatus: status },
      `${this.suspect.reason} for ${Math.round((now - Date.parse(this.suspect.since)) / 1000)} s: exiting so that a fresh process takes the jobs`,
    );
    options.onStuck(this.suspect);
  }
}
