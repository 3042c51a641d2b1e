/** A TMDB film or series as stored in the `media` table (owned by MediaRepository). */
export interface MediaRecord {
  id: number;
  mediaType: 'movie' | 'tv';
  tmdbId: number;
  title: string;
  originalTitle: string | null;
  year: number | null;
  overview: string | null;
  posterPath: string | null;
  rating: number | null;
  voteCount: number | null;
  imdbId: string | null;
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
