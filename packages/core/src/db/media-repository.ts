import { toMedia, type MediaRecord, type MediaRow } from './media-record.js';
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
}
