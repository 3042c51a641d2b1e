import type { RssPeak } from './worker-metrics.js';

/** Nearest-rank percentile of an ascending list (`p` in 0..100); NaN when the list is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50, p99 and max of unordered samples. */
export function summarize(samples: readonly number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** A number with a fixed count of decimals and thousands separators. */
export function num(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Milliseconds as `850 ms` or `1.24 s`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 1_000 ? `${num(ms)} ms` : `${num(ms / 1000, 2)} s`;
}

/** Bytes as MiB. */
export function mib(bytes: number): string {
  return Number.isFinite(bytes) && bytes > 0 ? `${num(bytes / 2 ** 20, 0)} MiB` : 'n/a';
}

/** A markdown table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A `##` section of the report. */
export function section(title: string, ...blocks: string[]): string {
  return [`## ${title}`, ...blocks].join('\n\n');
}

/** What each part of the benchmark hands back to `run.ts`. */
export interface PartResult {
  markdown: string;
  rss: RssPeak[];
}
