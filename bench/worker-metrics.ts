import { readFile } from 'node:fs/promises';

/** One scrape of a worker's /metrics: `name{labels}` → value (label sets kept verbatim). */
export type MetricsSample = Map<string, number>;

/** Scrapes `http://127.0.0.1:<port>/metrics` (prom-client text format). */
export async function scrapeMetrics(port: number): Promise<MetricsSample> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`GET /metrics on port ${port} answered ${response.status}`);
  const sample: MetricsSample = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    sample.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return sample;
}

/** The sum of every series of `name` whose labels contain all of `labels` (e.g. `result="indexed"`). */
export function metricValue(sample: MetricsSample, name: string, ...labels: string[]): number {
  let total = 0;
  for (const [series, value] of sample) {
    const bare = series.split('{', 1)[0];
    if (bare === name && labels.every((l) => series.includes(l))) total += value;
  }
  return total;
}

export interface RssPeak {
  worker: string;
  phase: string;
  /** resident set size just before the load started */
  idleBytes: number;
  peakBytes: number;
  samples: number;
}

/**
 * Samples the resident set size of some worker processes every `intervalMs` while a load runs; the peak
 * of each is what the report shows (the bench's "peak RSS per worker under load"). It reads VmRSS from
 * /proc/<pid>/status, the same figure the workers' `process_resident_memory_bytes` exposes, because
 * scraping /metrics four times a second costs the worker ~9 ms a scrape (queue-depth gauges ask Redis).
 */
export class RssSampler {
  private readonly peaks = new Map<string, RssPeak>();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly phase: string,
    private readonly targets: readonly { worker: string; pid: number }[],
    private readonly intervalMs = 250,
  ) {}

  /** Takes the idle reading, then samples until `stop`. */
  async start(): Promise<void> {
    await this.sample(true);
    this.timer = setInterval(() => {
      this.inFlight = this.sample(false);
    }, this.intervalMs);
  }

  /** One peak per worker. */
  async stop(): Promise<RssPeak[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.sample(false);
    return [...this.peaks.values()];
  }

  private async sample(idle: boolean): Promise<void> {
    await Promise.all(
      this.targets.map(async ({ worker, pid }) => {
        const rss = await residentBytes(pid);
        if (rss === null) return;
        const peak = this.peaks.get(worker) ?? {
          worker,
          phase: this.phase,
          idleBytes: rss,
          peakBytes: 0,
          samples: 0,
        };
        if (idle) peak.idleBytes = rss;
        peak.peakBytes = Math.max(peak.peakBytes, rss);
        peak.samples++;
        this.peaks.set(worker, peak);
      }),
    );
  }
}

/** VmRSS of a process in bytes, or null once it is gone. */
export async function residentBytes(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kib = status === null ? undefined : /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kib === undefined ? null : Number(kib) * 1024;
}
