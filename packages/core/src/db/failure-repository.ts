import { textArray, type Sql } from './sql-client.js';

/** A torrent a pass gave up on for good, with the reason. */
export interface TorrentFailure {
  infoHash: string;
  queue: string;
  reason: string;
  failedAt: Date;
}

interface FailureRow {
  info_hash: string;
  queue: string;
  reason: string;
  failed_at: Date;
}

/** Permanent failures per queue and the latest few, for `minato status`. */
export interface FailureSummary {
  total: number;
  byQueue: Record<string, number>;
  recent: TorrentFailure[];
}

/** Owns `torrent_failures`: torrents a pass could never process, one row per torrent and queue. */
export class FailureRepository {
  constructor(private readonly sql: Sql) {}

  /** Records (or refreshes) each torrent's failure on `queue`. */
  async record(queue: string, failures: readonly { infoHash: string; reason: string }[]): Promise<void> {
    if (failures.length === 0) return;
    await this.sql`
      INSERT INTO torrent_failures (info_hash, queue, reason)
      SELECT h, ${queue}, r FROM unnest(${textArray(
        this.sql,
        failures.map((f) => f.infoHash),
      )}::text[], ${textArray(
        this.sql,
        failures.map((f) => f.reason.slice(0, 1_000)),
      )}::text[]) AS v(h, r)
      ON CONFLICT (info_hash, queue) DO UPDATE SET reason = EXCLUDED.reason, failed_at = now()`;
  }

  /** One torrent's failures, one per queue that gave up on it. */
  async forTorrent(infoHash: string): Promise<TorrentFailure[]> {
    const rows = await this.sql<FailureRow[]>`
      SELECT info_hash, queue, reason, failed_at FROM torrent_failures WHERE info_hash = ${infoHash}
      ORDER BY failed_at DESC`;
    return rows.map(toFailure);
  }

  /** Counts per queue and the `recent` latest failures. */
  async summary(recent = 5): Promise<FailureSummary> {
    const [counts, rows] = await Promise.all([
      this.sql<{ queue: string; n: number }[]>`
        SELECT queue, count(*)::int AS n FROM torrent_failures GROUP BY queue`,
      this.sql<FailureRow[]>`
        SELECT info_hash, queue, reason, failed_at FROM torrent_failures ORDER BY failed_at DESC LIMIT ${recent}`,
    ]);
    return {
      total: counts.reduce((sum, c) => sum + c.n, 0),
      byQueue: Object.fromEntries(counts.map((c) => [c.queue, c.n])),
      recent: rows.map(toFailure),
    };
  }
}

function toFailure(r: FailureRow): TorrentFailure {
  return { infoHash: r.info_hash, queue: r.queue, reason: r.reason, failedAt: r.failed_at };
}
