import { Gauge, type Registry } from 'prom-client';

/**
 * `minato_process_max_resident_memory_bytes`: the process's peak resident memory as the kernel recorded it
 * (getrusage's ru_maxrss), so that a bound on memory is checked against every moment, not the scrapes' samples.
 */
export function registerPeakMemoryMetric(registry: Registry): void {
  new Gauge({
    name: 'minato_process_max_resident_memory_bytes',
    help: 'Peak resident memory of this process since it started, in bytes',
    registers: [registry],
    collect() {
      this.set(process.resourceUsage().maxRSS * 1024);
    },
  });
}
