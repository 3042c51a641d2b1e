import { bigintArray, textArray, type Sql } from './sql-client.js';

/** A deletion Elasticsearch has yet to apply: the document goes at `version`, above the row's last write. */
export interface PendingDeletion {
  infoHash: string;
  /** the row's version when it was deleted (what `acknowledge` matches on) */
  lastVersion: number;
  /** the external version the delete carries: the row's last one plus one, under the current epoch */
  version: number;
}

/** Deletions waiting for Elasticsearch, and those it acknowledged and that are not pruned yet. */
export interface DeletionCounts {
  pending: number;
  done: number;
}

/** What `deleteTorrents` did with a list of hashes. */
export interface TorrentDeletionResult {
  deleted: string[];
  /** hashes PostgreSQL had no row for */
  absent: string[];
}

/** Owns `torrent_deletions`, the trigger-kept record of deleted rows (docs/guarantees.md, "Deleted means gone"). */
export class DeletionRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Deletes rows with a reason (a takedown notice, a fake upload): the trigger records them with it, in the same
   * transaction, so a deletion is never without its record.
   */
  async deleteTorrents(infoHashes: readonly string[], reason: string): Promise<TorrentDeletionResult> {
    if (infoHashes.length === 0) return { deleted: [], absent: [] };
    const deleted = await this.sql.begin(async (tx) => {
      await tx`SELECT set_config('minato.deletion_reason', ${reason}, true)`;
      return tx<{ info_hash: string }[]>`DELETE FROM torrents
        WHERE info_hash = ANY(${textArray(this.sql, infoHashes)}::text[]) RETURNING info_hash`;
    });
    const gone = new Set(deleted.map((r) => r.info_hash));
    return { deleted: [...gone], absent: [...new Set(infoHashes)].filter((h) => !gone.has(h)) };
  }

  /** Which of these info hashes were deleted (and their record not pruned yet). */
  async recorded(infoHashes: readonly string[]): Promise<Set<string>> {
    if (infoHashes.length === 0) return new Set();
    const rows = await this.sql<{ info_hash: string }[]>`SELECT info_hash FROM torrent_deletions
      WHERE info_hash = ANY(${textArray(this.sql, infoHashes)}::text[])`;
    return new Set(rows.map((r) => r.info_hash));
  }

  /** The oldest pending deletions, at most `limit`, read through the partial index of pending ones. */
  async pending(limit: number): Promise<PendingDeletion[]> {
    const rows = await this.sql<{ info_hash: string; last_version: number; version: number }[]>`
      SELECT info_hash, last_version, minato_external_version(last_version + 1) AS version
      FROM torrent_deletions WHERE done_at IS NULL ORDER BY deleted_at LIMIT ${limit}`;
    return rows.map((r) => ({ infoHash: r.info_hash, lastVersion: r.last_version, version: r.version }));
  }

  /**
   * Marks deletions applied. Matched on the version too: a hash deleted again meanwhile (re-inserted, deleted
   * once more) stays pending for its newer version.
   */
  async acknowledge(entries: readonly Pick<PendingDeletion, 'infoHash' | 'lastVersion'>[]): Promise<void> {
    if (entries.length === 0) return;
    await this.sql`
      UPDATE torrent_deletions d SET done_at = now()
      FROM unnest(${textArray(
        this.sql,
        entries.map((e) => e.infoHash),
      )}::text[], ${bigintArray(
        this.sql,
        entries.map((e) => e.lastVersion),
      )}::bigint[]) AS v(info_hash, last_version)
      WHERE d.info_hash = v.info_hash AND d.last_version = v.last_version AND d.done_at IS NULL`;
  }

  /** Forgets deletions acknowledged more than `olderThanMs` ago; returns how many. */
  async prune(olderThanMs: number): Promise<number> {
    const rows = await this.sql`DELETE FROM torrent_deletions
      WHERE done_at IS NOT NULL AND done_at < now() - make_interval(secs => ${olderThanMs / 1_000})`;
    return rows.count;
  }

  /** Pending and done (not yet pruned) deletions, for `minato status` and the metrics. */
  async counts(): Promise<DeletionCounts> {
    const [row] = await this.sql<DeletionCounts[]>`
      SELECT count(*) FILTER (WHERE done_at IS NULL)::int AS pending,
             count(*) FILTER (WHERE done_at IS NOT NULL)::int AS done
      FROM torrent_deletions`;
    return row ?? { pending: 0, done: 0 };
  }
}
