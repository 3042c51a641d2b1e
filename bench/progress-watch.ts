import { textArray, type SearchEngine, type Sql } from '@minato/core';
import { pace, progress } from './progress.js';

/**
 * Documents a plain search sees in `alias` right now. No forced refresh: a benchmark that refreshed on
 * every poll would both perturb Elasticsearch and hide the refresh interval that real searches wait for.
 */
export async function visibleCount(search: SearchEngine, alias: string): Promise<number> {
  try {
    return await search.count(alias);
  } catch (error) {
    if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return 0;
    throw error;
  }
}

/**
 * Rows of the schema's torrents whose document Elasticsearch acknowledged (indexed_version set). It reads the
 * whole table: a count is for a figure, not for polling (allAcknowledged).
 */
export async function acknowledgedCount(sql: Sql): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM torrents WHERE indexed_version IS NOT NULL`;
  return row?.n ?? 0;
}

/**
 * True when every row of the schema's torrents, apart from `except`, has its document acknowledged: a poll that
 * reads only the partial index torrents_not_indexed (`indexed_version IS NULL`, repeated here so the planner can use
 * it), which holds the rows still waiting, and stops at the first. A count would read the whole table each time,
 * taking from the pipeline it measures. Not `EXISTS`: from statistics that still say most rows wait (autoanalyze
 * lags a fast pass), the planner would take a sequential scan, the whole table again once they are all done; ordered
 * by the index's key, the index is the cheaper plan whatever the statistics say (EXPLAIN, PostgreSQL 15).
 */
export async function allAcknowledged(sql: Sql, except: readonly string[] = []): Promise<boolean> {
  const waiting = await sql`SELECT info_hash FROM torrents
    WHERE indexed_version IS NULL AND info_hash <> ALL(${textArray(sql, except)}::text[])
    ORDER BY info_hash LIMIT 1`;
  return waiting.length === 0;
}

export interface CompletionTimes {
  /** every row has indexed_version set */
  acknowledgedAt: number;
  /** a search counts every document */
  searchableAt: number;
}

/**
 * Polls every `intervalMs` until every row is acknowledged and `total` documents are searchable; throws past
 * `timeoutMs`. Without `sql` (documents written straight to Elasticsearch) only the searchable count is watched.
 */
export async function watchCompletion(
  { sql, search, alias }: { sql?: Sql; search: SearchEngine; alias: string },
  total: number,
  { timeoutMs, intervalMs = 250, label }: { timeoutMs: number; intervalMs?: number; label: string },
): Promise<CompletionTimes> {
  const deadline = Date.now() + timeoutMs;
  let acknowledgedAt = 0;
  let searchableAt = 0;
  let lastReport = 0;
  while (acknowledgedAt === 0 || searchableAt === 0) {
    const [acknowledged, visible] = await Promise.all([
      acknowledgedAt > 0 || !sql || allAcknowledged(sql),
      searchableAt ? total : visibleCount(search, alias),
    ]);
    const now = Date.now();
    if (!acknowledgedAt && acknowledged) acknowledgedAt = now;
    if (!searchableAt && visible >= total) searchableAt = now;
    const rows = !sql ? '' : acknowledged ? 'every row acknowledged, ' : 'not every row acknowledged, ';
    const state = `${rows}${visible}/${total} searchable`;
    if (now - lastReport > 5_000) {
      progress(`${label}: ${state}`);
      lastReport = now;
    }
    if (now > deadline) throw new Error(`${label}: after ${timeoutMs} ms ${state}`);
    await pace(intervalMs);
  }
  return { acknowledgedAt, searchableAt };
}
