import type { EnrichmentStatus, MediaRecord } from './torrent-repository.js';
import type { Sql } from './sql-client.js';

/** What a TMDB match yields, before it has a row id. */
export type MediaInput = Omit<MediaRecord, 'id'>;

/** A cached lookup: the media it matched, or null for a remembered miss. */
export interface CachedLookup {
  media: MediaRecord | null;
  confidence: number | null;
}

/** The shared TMDB results: `media` rows and the `tmdb_lookups` cache keyed by type + title + year. */
export class MediaRepository {
  constructor(private readonly sql: Sql) {}

  /** The unexpired cached answer for `key`, if any. */
  async findLookup(key: string): Promise<CachedLookup | undefined> {
    const [row] = await this.sql<(MediaRow & { confidence: number | null; found: boolean })[]>`
      SELECT l.confidence, m.id IS NOT NULL AS found, m.*
      FROM tmdb_lookups l LEFT JOIN media m ON m.id = l.media_id
      WHERE l.lookup_key = ${key} AND l.expires_at > now()`;
    if (!row) return undefined;
    return { media: row.found ? toMedia(row) : null, confidence: row.confidence };
  }

  /** Stores a lookup's answer (upserting the media it matched) for `ttlSeconds`. */
  async saveLookup(
    key: string,
    media: MediaInput | null,
    confidence: number | null,
    ttlSeconds: number,
  ): Promise<CachedLookup> {
    return this.sql.begin(async (tx) => {
      let stored: MediaRecord | null = null;
      if (media) {
        const [row] = await tx<MediaRow[]>`
          INSERT INTO media (media_type, tmdb_id, title, original_title, year, overview, poster_path, rating, vote_count, imdb_id)
          VALUES (${media.mediaType}, ${media.tmdbId}, ${media.title}, ${media.originalTitle}, ${media.year},
                  ${media.overview}, ${media.posterPath}, ${media.rating}, ${media.voteCount}, ${media.imdbId})
          ON CONFLICT (media_type, tmdb_id) DO UPDATE SET
            title = EXCLUDED.title, original_title = EXCLUDED.original_title, year = EXCLUDED.year,
            overview = EXCLUDED.overview, poster_path = EXCLUDED.poster_path, rating = EXCLUDED.rating,
            vote_count = EXCLUDED.vote_count, imdb_id = COALESCE(EXCLUDED.imdb_id, media.imdb_id), fetched_at = now()
          RETURNING *`;
        stored = row ? toMedia(row) : null;
      }
      await tx`
        INSERT INTO tmdb_lookups (lookup_key, media_id, confidence, expires_at)
        VALUES (${key}, ${stored?.id ?? null}, ${confidence}, now() + make_interval(secs => ${ttlSeconds}))
        ON CONFLICT (lookup_key) DO UPDATE SET media_id = EXCLUDED.media_id, confidence = EXCLUDED.confidence,
          looked_up_at = now(), expires_at = EXCLUDED.expires_at`;
      return { media: stored, confidence };
    });
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
      UPDATE torrents SET enrichment_status = ${status}, media_id = ${mediaId}, enriched_at = now()
      WHERE info_hash = ${infoHash} RETURNING version`;
    return row?.version;
  }
}

/** A `media` row as PostgreSQL returns it (also inside `to_jsonb(media)`). */
export interface MediaRow {
  id: number;
  media_type: 'movie' | 'tv';
  tmdb_id: number;
  title: string;
  original_title: string | null;
  year: number | null;
  overview: string | null;
  poster_path: string | null;
  rating: number | null;
  vote_count: number | null;
  imdb_id: string | null;
}

/** A `media` row in the shape the rest of the code uses. */
export function toMedia(row: MediaRow): MediaRecord {
  return {
    id: row.id,
    mediaType: row.media_type,
    tmdbId: row.tmdb_id,
    title: row.title,
    originalTitle: row.original_title,
    year: row.year,
    overview: row.overview,
    posterPath: row.poster_path,
    rating: row.rating,
    voteCount: row.vote_count,
    imdbId: row.imdb_id,
  };
}
