import { toMedia, type MediaRecord, type MediaRow } from './media-record.js';
import { bigintArray, textArray, type Sql } from './sql-client.js';

export type EnrichmentStatus = 'matched' | 'no_match' | 'skipped';

export interface TorrentRecord {
  infoHash: string;
  title: string;
  size: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** the version Elasticsearch sees: `version` under the current search epoch (`minato_external_version`) */
  externalVersion: number;
  indexedAt: Date | null;
  indexedVersion: number | null;
  enrichmentStatus: EnrichmentStatus | null;
  enrichedAt: Date | null;
  /** the title pass 2 matched from; a rename to another work clears the enrichment (`reopenEnrichment`) */
  enrichedTitle: string | null;
  media: MediaRecord | null;
}

/** One torrent's pass-2 result, as saved by `saveEnrichments`. */
export interface EnrichmentOutcome {
  infoHash: string;
  /** the title the outcome was matched from: it is saved only while the row still has it */
  title: string;
  status: EnrichmentStatus;
  mediaId: number | null;
}

export interface NewTorrent {
  infoHash: string;
  title: string;
  size: number;
}

/** Which pass a torrent still needs (see `minato enqueue --all`). */
export type PendingPass = 'ingest' | 'classify' | 'sync';

export interface PostgresCounts {
  torrents: number;
  /** `indexed_version` set: Elasticsearch acknowledged a version of the row */
  indexed: number;
  /** `enriched_at` set: pass 2 saved an outcome (matched, no match or skipped) */
  enriched: number;
  /** enriched with a TMDB match */
  matched: number;
}

interface TorrentRow {
  info_hash: string;
  title: string;
  size: number;
  created_at: Date;
  updated_at: Date;
  version: number;
  external_version: number;
  indexed_at: Date | null;
  indexed_version: number | null;
  enrichment_status: EnrichmentStatus | null;
  enriched_at: Date | null;
  enriched_title: string | null;
  media: MediaRow | null;
}

/** Reads and writes the `torrents` table; PostgreSQL is the source of truth for every pass. */
export class TorrentRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts torrents, skipping info hashes already present; returns the hashes inserted. */
  async insert(torrents: readonly NewTorrent[]): Promise<string[]> {
    if (torrents.length === 0) return [];
    const rows = await this.sql<{ info_hash: string }[]>`
      INSERT INTO torrents (info_hash, title, size)
      SELECT * FROM unnest(${textArray(
        this.sql,
        torrents.map((t) => t.infoHash),
      )}::text[],
                           ${textArray(
                             this.sql,
                             torrents.map((t) => t.title),
                           )}::text[],
                           ${bigintArray(
                             this.sql,
                             torrents.map((t) => t.size),
                           )}::bigint[])
      ON CONFLICT (info_hash) DO NOTHING
      RETURNING info_hash`;
    return rows.map((r) => r.info_hash);
  }

  /** Whole rows with their media, for the hashes that exist (one query for a whole batch). */
  async findMany(infoHashes: readonly string[]): Promise<TorrentRecord[]> {
    if (infoHashes.length === 0) return [];
    const rows = await this.sql<TorrentRow[]>`
      SELECT t.*, minato_external_version(t.version) AS external_version,
             CASE WHEN m.id IS NULL THEN NULL ELSE to_jsonb(m) END AS media
      FROM torrents t LEFT JOIN media m ON m.id = t.media_id
      WHERE t.info_hash = ANY(${textArray(this.sql, infoHashes)}::text[])`;
    return rows.map(toRecord);
  }

  /**
   * Records that Elasticsearch acknowledged (or already held something newer than) each version.
   * GREATEST keeps a late acknowledgement of an old version from moving the marker back.
   */
  async markIndexed(entries: readonly { infoHash: string; version: number }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.sql`
      UPDATE torrents t SET indexed_at = now(), indexed_version = GREATEST(COALESCE(t.indexed_version, 0), v.version)
      FROM unnest(${textArray(
        this.sql,
        entries.map((e) => e.infoHash),
      )}::text[],
                  ${bigintArray(
                    this.sql,
                    entries.map((e) => e.version),
                  )}::bigint[]) AS v(info_hash, version)
      WHERE t.info_hash = v.info_hash`;
  }

  /** Forgets that rows are indexed, so the reconciler sends them again (their documents went missing). */
  async markNotIndexed(infoHashes: readonly string[]): Promise<void> {
    if (infoHashes.length === 0) return;
    await this.sql`UPDATE torrents SET indexed_at = NULL, indexed_version = NULL
      WHERE info_hash = ANY(${textArray(this.sql, infoHashes)}::text[])`;
  }

  /**
   * One page of torrents that may still need a pass, in info-hash order after `after` (a keyset cursor, so
   * pages stay cheap on millions of rows); `since` limits to rows changed since then. For `classify` the SQL
   * condition is only the necessary part (no outcome saved yet): whether the release name is a film or an
   * episode is the parser's call, made by the caller with `needsEnrichment`.
   */
  async pendingPage(
    pass: PendingPass,
    after: string,
    limit: number,
    since?: Date,
  ): Promise<{ infoHash: string; title: string }[]> {
    const condition =
      pass === 'ingest'
        ? this.sql`indexed_version IS NULL`
        : pass === 'classify'
          ? this.sql`enriched_at IS NULL`
          : this.sql`enriched_at IS NOT NULL AND (indexed_version IS NULL OR indexed_version < version)`;
    const rows = await this.sql<{ info_hash: string; title: string }[]>`
      SELECT info_hash, title FROM torrents
      WHERE info_hash > ${after} AND ${condition} ${since ? this.sql`AND updated_at >= ${since}` : this.sql``}
      ORDER BY info_hash LIMIT ${limit}`;
    return rows.map((r) => ({ infoHash: r.info_hash, title: r.title }));
  }

  /** One page of all info hashes in order after `after` (a keyset cursor over the whole table). */
  async hashPage(after: string, limit: number, since?: Date): Promise<string[]> {
    const rows = await this.sql<{ info_hash: string }[]>`
      SELECT info_hash FROM torrents
      WHERE info_hash > ${after} ${since ? this.sql`AND updated_at >= ${since}` : this.sql``}
      ORDER BY info_hash LIMIT ${limit}`;
    return rows.map((r) => r.info_hash);
  }

  /** Which of these info hashes PostgreSQL has a row for (one query for a page of documents). */
  async existing(infoHashes: readonly string[]): Promise<Set<string>> {
    if (infoHashes.length === 0) return new Set();
    const rows = await this.sql<{ info_hash: string }[]>`SELECT info_hash FROM torrents
      WHERE info_hash = ANY(${textArray(this.sql, infoHashes)}::text[])`;
    return new Set(rows.map((r) => r.info_hash));
  }

  /** One page of (info hash, version, indexed version) in hash order, to compare against Elasticsearch. */
  async versionPage(after: string, limit: number, since?: Date): Promise<VersionRow[]> {
    const rows = await this.sql<VersionRowData[]>`
      SELECT ${versionColumns(this.sql)} FROM torrents
      WHERE info_hash > ${after} ${since ? this.sql`AND updated_at >= ${since}` : this.sql``}
      ORDER BY info_hash LIMIT ${limit}`;
    return rows.map(toVersionRow);
  }

  /**
   * One page of rows changed in [from, until), in info-hash order after `after`. The index `torrents_updated_at`
   * finds them, so a page costs the rows changed, however large the table.
   */
  async changedPage(from: Date, until: Date, after: string, limit: number): Promise<VersionRow[]> {
    const rows = await this.sql<VersionRowData[]>`
      SELECT ${versionColumns(this.sql)} FROM torrents
      WHERE updated_at >= ${from} AND updated_at < ${until} AND info_hash > ${after}
      ORDER BY info_hash LIMIT ${limit}`;
    return rows.map(toVersionRow);
  }

  /**
   * One page of rows whose projection is behind their version (never indexed, or changed since), last changed
   * before `until`, in info-hash order after `after`; read through the partial index `torrents_stale`. A row that
   * failed for good since its last change is left out: sending it again would fail again.
   */
  async stalePage(after: string, until: Date, limit: number): Promise<VersionRow[]> {
    const rows = await this.sql<VersionRowData[]>`
      SELECT ${versionColumns(this.sql)} FROM torrents t
      WHERE indexed_version IS DISTINCT FROM version AND info_hash > ${after} AND updated_at < ${until}
        AND NOT EXISTS (SELECT 1 FROM torrent_failures f WHERE f.info_hash = t.info_hash AND f.failed_at >= t.updated_at)
      ORDER BY info_hash LIMIT ${limit}`;
    return rows.map(toVersionRow);
  }

  /** Rows Elasticsearch acknowledged before `before`: a search must count at least as many documents. */
  async countIndexedBefore(before: Date): Promise<number> {
    const [row] = await this.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM torrents WHERE indexed_version IS NOT NULL AND indexed_at < ${before}`;
    return row?.n ?? 0;
  }

  /**
   * Records a torrent's enrichment outcome; the version trigger raises the row version, so pass 3's write
   * supersedes whatever pass 1 wrote.
   */
  async saveEnrichment(
    infoHash: string,
    status: EnrichmentStatus,
    mediaId: number | null,
  ): Promise<number | undefined> {
    const [row] = await this.sql<{ version: number }[]>`
      UPDATE torrents SET enrichment_status = ${status}, media_id = ${mediaId}, enriched_at = now(), enriched_title = title
      WHERE info_hash = ${infoHash} RETURNING version`;
    return row?.version;
  }

  /**
   * Records many torrents' enrichment outcomes in one statement (a bulk job's); the version trigger raises
   * each row's version, as `saveEnrichment` does for one. An outcome is saved only while its row still has the
   * title it was matched from: a title changed during the match (docs/guarantees.md, "No stale overwrite")
   * leaves the row unsaved, for the caller to match again. Returns the info hashes saved.
   */
  async saveEnrichments(outcomes: readonly EnrichmentOutcome[]): Promise<string[]> {
    if (outcomes.length === 0) return [];
    // Media ids travel as text: a bigint[] parameter cannot carry the nulls of outcomes without a match.
    const rows = await this.sql<{ info_hash: string }[]>`
      UPDATE torrents t SET enrichment_status = v.status, media_id = NULLIF(v.media_id, '')::bigint, enriched_at = now(),
        enriched_title = v.title
      FROM unnest(${textArray(
        this.sql,
        outcomes.map((o) => o.infoHash),
      )}::text[], ${textArray(
        this.sql,
        outcomes.map((o) => o.title),
      )}::text[], ${textArray(
        this.sql,
        outcomes.map((o) => o.status),
      )}::text[], ${textArray(
        this.sql,
        outcomes.map((o) => (o.mediaId === null ? '' : String(o.mediaId))),
      )}::text[]) AS v(info_hash, title, status, media_id)
      WHERE t.info_hash = v.info_hash AND t.title = v.title
      RETURNING t.info_hash`;
    return rows.map((r) => r.info_hash);
  }

  /**
   * Clears a row's enrichment after a rename to another work, so that pass 2 matches it again; only while the
   * row still has the title and the matched-from title it was read with (a save or a rename meanwhile wins).
   * Returns the row as it is now (at its raised version), or undefined when it changed meanwhile.
   */
  async reopenEnrichment(
    torrent: Pick<TorrentRecord, 'infoHash' | 'title' | 'enrichedTitle'>,
  ): Promise<TorrentRecord | undefined> {
    const [row] = await this.sql<TorrentRow[]>`
      WITH reopened AS (
        UPDATE torrents SET enrichment_status = NULL, media_id = NULL, enriched_at = NULL, enriched_title = NULL
        WHERE info_hash = ${torrent.infoHash} AND title = ${torrent.title}
          AND enriched_title IS NOT DISTINCT FROM ${torrent.enrichedTitle} AND enriched_at IS NOT NULL
        RETURNING *)
      SELECT r.*, minato_external_version(r.version) AS external_version, NULL AS media FROM reopened r`;
    return row ? toRecord(row) : undefined;
  }

  /** Totals for `minato status`. */
  async counts(): Promise<PostgresCounts> {
    const [row] = await this.sql<PostgresCounts[]>`
      SELECT count(*)::int AS torrents,
             count(*) FILTER (WHERE indexed_version IS NOT NULL)::int AS indexed,
             count(*) FILTER (WHERE enriched_at IS NOT NULL)::int AS enriched,
             count(*) FILTER (WHERE enrichment_status = 'matched')::int AS matched
      FROM torrents`;
    return row ?? { torrents: 0, indexed: 0, enriched: 0, matched: 0 };
  }
}

/** What the reconciler compares: a row's versions and what its hand-off needs. */
export interface VersionRow {
  infoHash: string;
  title: string;
  version: number;
  /** `version` under the current search epoch: what Elasticsearch's `_version` is compared with */
  externalVersion: number;
  indexedVersion: number | null;
  enriched: boolean;
  updatedAt: Date;
}

interface VersionRowData {
  info_hash: string;
  title: string;
  version: number;
  external_version: number;
  indexed_version: number | null;
  enriched: boolean;
  updated_at: Date;
}

function versionColumns(sql: Sql) {
  return sql`info_hash, title, version, minato_external_version(version) AS external_version, indexed_version,
    enriched_at IS NOT NULL AS enriched, updated_at`;
}

function toVersionRow(r: VersionRowData): VersionRow {
  return {
    infoHash: r.info_hash,
    title: r.title,
    version: r.version,
    externalVersion: r.external_version,
    indexedVersion: r.indexed_version,
    enriched: r.enriched,
    updatedAt: r.updated_at,
  };
}

function toRecord(row: TorrentRow): TorrentRecord {
  return {
    infoHash: row.info_hash,
    title: row.title,
    size: row.size,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    externalVersion: row.external_version,
    indexedAt: row.indexed_at,
    indexedVersion: row.indexed_version,
    enrichmentStatus: row.enrichment_status,
    enrichedAt: row.enriched_at,
    enrichedTitle: row.enriched_title,
    media: row.media ? toMedia(row.media) : null,
  };
}
