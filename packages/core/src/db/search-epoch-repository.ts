import type { Sql } from './sql-client.js';

/**
 * An external version is the row's version plus the search epoch times this (`minato_external_version` in
 * PostgreSQL): row versions stay far below it, so any version of epoch n+1 is above every version of epoch n.
 */
export const EPOCH_STRIDE = 1_000_000_000_000;

/** Owns `search_epoch`, the part of every external version that a restore from backup raises. */
export class SearchEpochRepository {
  constructor(private readonly sql: Sql) {}

  async get(): Promise<number> {
    const [row] = await this.sql<{ epoch: number }[]>`SELECT epoch FROM search_epoch`;
    return row?.epoch ?? 0;
  }

  /** Raises the epoch above both its own value and `seen` (the epoch Elasticsearch's versions show); returns it. */
  async raiseAbove(seen: number): Promise<number> {
    const [row] = await this.sql<{ epoch: number }[]>`
      UPDATE search_epoch SET epoch = GREATEST(epoch, ${seen}) + 1, raised_at = now() RETURNING epoch`;
    return row?.epoch ?? seen + 1;
  }

  /** The highest external version of any row: Elasticsearch holding a higher one means PostgreSQL went back. */
  async highestVersion(): Promise<number> {
    const [row] = await this.sql<{ v: number | null }[]>`
      SELECT minato_external_version(max(version)) AS v FROM torrents`;
    return row?.v ?? 0;
  }
}
