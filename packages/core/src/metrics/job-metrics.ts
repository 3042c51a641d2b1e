import { Counter, Histogram, type Registry } from 'prom-client';

/** Job outcomes and durations per queue, shared by the three workers. */
export interface JobMetrics {
  processed: Counter<'queue' | 'outcome'>;
  duration: Histogram<'queue'>;
}

/** Registers the per-queue job metrics on `registry`. */
export function createJobMetrics(registry: Registry): JobMetrics {
  return {
    processed: new Counter({
      name: 'minato_jobs_processed_total',
      help: 'Jobs finished, by queue and outcome (completed or failed)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'minato_job_duration_seconds',
      help: 'Time from a job becoming active to its outcome',
      labelNames: ['queue'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
