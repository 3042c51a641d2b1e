import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

const states = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** `minato_queue_jobs{queue,state}`, read from BullMQ when Prometheus scrapes, never on a timer. */
export function registerQueueDepthMetrics(registry: Registry, queues: Queue[]): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'minato_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...states);
          for (const state of states) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
