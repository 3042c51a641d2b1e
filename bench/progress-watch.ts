import type { SearchClient, Sql } from '@minato/core';
import { pace, progress } from './progress.js';

/**
 * Documents a plain search sees in `alias` right now. No forced refresh: a benchmark that refreshed on
 * every poll would both perturb Elasticsearch and hide the refresh interval that real searches wait for.
 */
export async function visibleCount(search: SearchClient, alias: string): Promise<number> {
  try {
    return (await search.count({ index: alias })).count;
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0;
    throw error;
  }
}

/** Rows of the schema's torrents whose document Elasticsearch acknowledged (indexed_version set). */
export async function acknowledgedCount(sql: Sql): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM torrents WHERE indexed_version IS NOT NULL`;
  return row?.n ?? 0;
}

export interface CompletionTimes {
  /** every row has indexed_version set */
  acknowledgedAt: number;
  /** a search counts every document */
  searchableAt: number;
}

/**
 * Polls both counts every `intervalMs` until each reaches `total`; throws past `timeoutMs`. Without
 * `sql` (documents written straight to Elasticsearch) only the searchable count is watched.
 */
export async function watchCompletion(
  { sql, search, alias }: { sql?: Sql; search: SearchClient; alias: string },
  total: number,
  { timeoutMs, intervalMs = 250, label }: { timeoutMs: number; intervalMs?: number; label: string },
): Promise<CompletionTimes> {
  const deadline = Date.now() + timeoutMs;
  let acknowledgedAt = 0;
  let searchableAt = 0;
  let lastReport = 0;
  while (acknowledgedAt === 0 || searchableAt === 0) {
    const [acknowledged, visible] = await Promise.all([
      acknowledgedAt || !sql ? total : acknowledgedCount(sql),
      searchableAt ? total : visibleCount(search, alias),
    ]);
    const now = Date.now();
    if (!acknowledgedAt && acknowledged >= total) acknowledgedAt = now;
    if (!searchableAt && visible >= total) searchableAt = now;
    if (now - lastReport > 5_000) {
      progress(`${label}: ${acknowledged}/${total} acknowledged, ${visible}/${total} searchable`);
      lastReport = now;
    }
    if (now > deadline) {
      throw new Error(
        `${label}: after ${timeoutMs} ms only ${acknowledged}/${total} acknowledged and ${visible}/${total} searchable`,
      );
    }
    await pace(intervalMs);
  }
  return { acknowledgedAt, searchableAt };
}
