import type { Harness } from './pipeline-harness.js';
import { waitFor } from './wait-for.js';
import { metricValue } from './worker-metrics.js';

/** Why a worker is parked, as its /readyz shows it (README, Operations). */
export interface ParkedState {
  cause: string;
  reason: string;
  fix: string;
}

export interface Readiness {
  status: number;
  parked: ParkedState | null;
  /** each dependency check: "ok" or its reason */
  checks: Record<string, string>;
}

/** A worker's /readyz, status and body. */
export async function readiness(port: number): Promise<Readiness> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  const body = (await response.json()) as Omit<Readiness, 'status'>;
  return { status: response.status, parked: body.parked, checks: body.checks };
}

/** Waits until the worker on `port` says it is parked; resolves to its /readyz. */
export function waitParked(port: number, timeoutMs = 90_000): Promise<Readiness> {
  return waitFor(
    'the worker to park',
    async () => {
      const ready = await readiness(port);
      return ready.parked ? ready : null;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** `minato_worker_parked{queue,cause}` as the worker's /metrics shows it; NaN when absent. */
export function parkedGauge(port: number, queue: string, cause: string): Promise<number> {
  return metricValue(port, `minato_worker_parked{queue="${queue}",cause="${cause}"}`);
}

/** Jobs of `queue` that lost an attempt, failed or were delayed: an outage must leave none. */
export async function touchedJobs(queue: Harness['queues'][keyof Harness['queues']]): Promise<string[]> {
  const counts = await queue.getJobCounts('failed', 'delayed');
  const waiting = await queue.getJobs(['wait', 'prioritized', 'active']);
  return [
    ...(counts.failed ? [`${counts.failed} failed`] : []),
    ...(counts.delayed ? [`${counts.delayed} delayed`] : []),
    ...waiting
      .filter((job) => job.attemptsMade > 0)
      .map((job) => `${job.id} attemptsMade=${job.attemptsMade}`),
  ];
}
