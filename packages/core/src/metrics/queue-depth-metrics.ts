import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

const states = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * `minato_queue_jobs{queue,state}`, read from BullMQ when Prometheus scrapes, never on a timer; left out while
 * `connected` says the queues' Redis connection is down, so that /metrics answers instead of waiting for it.
 */
export function registerQueueDepthMetrics(
  registry: Registry,
  queues: Queue[],
  connected: () => boolean = () => true,
): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'minato_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!connected()) return;
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...states);
          for (const state of states) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
