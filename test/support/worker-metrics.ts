/** One sample of a worker's /metrics: the value of the line starting with `series` (name and labels); NaN when absent. */
export async function metricValue(port: number, series: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}
