import { Gauge, type Registry } from 'prom-client';

/**
 * `minato_bulk_jobs_held{queue}` and `minato_bulk_jobs_held_max{queue}`: the bulk jobs a worker holds now, and the
 * most it held at once since it started, read at scrape time from the worker's own count (the bound's source of
 * truth, which sampling the queue's active jobs in Redis is not: a completed job stays active there until BullMQ
 * has recorded it).
 */
export function registerBulkJobMetrics(
  registry: Registry,
  queue: string,
  bulkJobs: () => { held: number; most: number },
): void {
  const gauge = (name: string, help: string, read: (count: { held: number; most: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.set({ queue }, read(bulkJobs()));
      },
    });
  gauge('minato_bulk_jobs_held', 'Bulk jobs this worker holds (running or taken ahead)', (c) => c.held);
  gauge(
    'minato_bulk_jobs_held_max',
    'The most bulk jobs this worker held at once since it started',
    (c) => c.most,
  );
}
