import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Dependency, Outage } from '../errors.js';
import { within } from '../util/within.js';

/** Resolves when the dependency is usable again, rejects with the reason otherwise. */
export type Probe = () => Promise<unknown>;

/** Why a queue is parked, as /readyz shows it. */
export interface ParkedState {
  cause: Dependency;
  /** the message of the error that parked the queue, with what the probe found when the error named nothing */
  reason: string;
  fix: string;
  /** ISO time the queue was parked */
  since: string;
}

export interface QueueParkingOptions {
  queue: string;
  /** stops the worker taking jobs (jobs in flight finish, or park on their own) */
  stop: () => void;
  /** lets the worker take jobs again */
  start: () => void;
  /** one probe per dependency; a connection failure is blamed on the first one that fails */
  probes: Record<Dependency, Probe>;
  logger: Logger;
  registry: Registry;
  /** first wait before probing; doubles after each failed probe up to maxProbeMs */
  firstProbeMs?: number;
  maxProbeMs?: number;
}

const DEPENDENCIES: readonly Dependency[] = ['redis', 'postgres', 'elasticsearch', 'tmdb'];
// A probe that hangs (a black-holed address) counts as failed.
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Parks one queue's worker during an outage (docs/how-it-works.md, Faults and hostile input): the worker stops taking jobs, /readyz and
 * `minato_worker_parked{queue,cause}` say why, one log line names the cause and the fix, and a probe of the
 * failing dependency, with backoff, lets the worker take jobs again once it answers. The jobs themselves are
 * put back by the caller, with their attempts intact.
 */
export class QueueParking {
  private parked: ParkedState | null = null;
  /** when the queue last resumed (Date.now()), null before its first parking */
  private resumedAt: number | null = null;
  private parking: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly gauge: Gauge<'queue' | 'cause'>;
  private readonly firstProbeMs: number;
  private readonly maxProbeMs: number;

  constructor(private readonly options: QueueParkingOptions) {
    this.firstProbeMs = options.firstProbeMs ?? 1_000;
    this.maxProbeMs = options.maxProbeMs ?? 30_000;
    this.gauge = new Gauge({
      name: 'minato_worker_parked',
      help: 'Whether the queue is parked (1) because a dependency is down or refuses this worker, by cause',
      labelNames: ['queue', 'cause'],
      registers: [options.registry],
    });
    for (const cause of DEPENDENCIES) this.gauge.set({ queue: options.queue, cause }, 0);
  }

  /** The current parking, or null while the worker takes jobs. */
  get state(): ParkedState | null {
    return this.parked;
  }

  /**
   * Parks the queue for the outage `error` reported (see `outageOf`); a connection failure of unknown origin
   * is blamed on the first dependency whose probe fails. Resolves true when the job that met the error goes
   * back to the queue with its attempts intact (the queue is parked, now or already, or the error is a
   * leftover of an outage already over), false when every dependency answers: a blip, which the caller
   * retries as any error.
   *
   * A job that started before the queue's last resume may report only now an error it met during the outage
   * (a bulk job whose last document settles after the recovery): that error parks the queue again only if a
   * probe finds the dependency down now.
   */
  park(error: unknown, outage: Outage | 'unreachable', jobStartedAt = Date.now()): Promise<boolean> {
    if (this.closed || this.parked) return Promise.resolve(true);
    const leftover = this.resumedAt !== null && jobStartedAt < this.resumedAt;
    this.parking ??= this.resolve(outage, leftover)
      .then((found) => {
        if (found && !this.closed) {
          this.enter(found.outage, found.probed ? `${messageOf(error)} (${found.probed})` : messageOf(error));
        }
        return found !== null;
      })
      .finally(() => {
        this.parking = null;
      });
    return this.parking.then((parked) => parked || leftover || this.closed);
  }

  /** Stops probing (a drain is under way); the gauge keeps its last value. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * The outage to park for, or null when there is none now; for a connection failure of unknown origin, also
   * what the failing probe said: a bare "read ECONNRESET" names nothing, the probe names the dependency and its
   * address. A known outage is taken at its word unless `probeKnown`.
   */
  private async resolve(
    outage: Outage | 'unreachable',
    probeKnown: boolean,
  ): Promise<{ outage: Outage; probed?: string } | null> {
    if (outage !== 'unreachable') {
      return !probeKnown || (await this.probe(outage.dependency)) !== null ? { outage } : null;
    }
    for (const dependency of DEPENDENCIES.filter((d) => d !== 'tmdb')) {
      const failure = await this.probe(dependency);
      if (failure !== null) {
        return {
          outage: { dependency, fix: `start ${dependency} or correct its address in the environment` },
          probed: messageOf(failure),
        };
      }
    }
    return null;
  }

  private enter(outage: Outage, reason: string): void {
    const { queue, logger } = this.options;
    this.parked = { cause: outage.dependency, reason, fix: outage.fix, since: new Date().toISOString() };
    this.gauge.set({ queue, cause: outage.dependency }, 1);
    this.options.stop();
    logger.error(
      { queue, cause: outage.dependency, reason, fix: outage.fix },
      `${queue} parked: ${reason}. Jobs stay waiting with their attempts intact; to fix: ${outage.fix}. ` +
        `Work resumes by itself once ${outage.dependency} answers.`,
    );
    this.scheduleProbe(this.firstProbeMs);
  }

  private scheduleProbe(delayMs: number): void {
    this.timer = setTimeout(() => {
      void this.probeAndResume(delayMs);
    }, delayMs);
    this.timer.unref();
  }

  private async probeAndResume(delayMs: number): Promise<void> {
    const parked = this.parked;
    if (!parked || this.closed) return;
    if ((await this.probe(parked.cause)) !== null) {
      this.scheduleProbe(Math.min(delayMs * 2, this.maxProbeMs));
      return;
    }
    if (this.closed) return;
    const { queue, logger } = this.options;
    this.parked = null;
    this.resumedAt = Date.now();
    this.gauge.set({ queue, cause: parked.cause }, 0);
    logger.info(
      { queue, cause: parked.cause, parkedMs: Date.now() - Date.parse(parked.since) },
      `${queue} resumed: ${parked.cause} answers again`,
    );
    this.options.start();
  }

  /** null when the dependency answers, otherwise why it does not */
  private async probe(dependency: Dependency): Promise<unknown> {
    try {
      await within(
        PROBE_TIMEOUT_MS,
        this.options.probes[dependency](),
        `${dependency} did not answer its probe within ${PROBE_TIMEOUT_MS} ms`,
      );
      return null;
    } catch (error) {
      this.options.logger.debug({ err: error, dependency }, 'probe failed: still parked');
      return error ?? new Error(`${dependency} probe failed`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
