/** One sample of a worker's /metrics: the value of the line starting with `series` (name and labels); NaN when absent. */
export async function metricValue(port: number, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

/**
 * Samples `series` on the workers at `ports` until `stop()`, which resolves to the peak of each series over all
 * of them: what a bound "at every moment of an outage" is checked against, from the worker's own gauges.
 */
export function peakSampler<S extends string>(ports: number[], series: readonly S[], intervalMs = 250) {
  const peaks = Object.fromEntries(series.map((s) => [s, 0])) as Record<S, number>;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const port of ports) {
        for (const s of series) {
          const value = await metricValue(port, s).catch(() => NaN);
          if (value > peaks[s]) peaks[s] = value;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop(): Promise<Record<S, number>> {
      running = false;
      await loop;
      return peaks;
    },
  };
}
