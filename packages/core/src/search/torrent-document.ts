import type { TorrentRecord } from '../db/torrent-repository.js';

/** What the document builder needs from the release parser. */
export interface ReleaseFields {
  type: 'movie' | 'tv' | 'other';
  title: string | null;
  year: number | null;
  season: number | null;
  episode: number | null;
}

/** The Elasticsearch projection of one torrent row; `_id` is the info hash. */
export interface TorrentDocument {
  info_hash: string;
  title_raw: string;
  title: string;
  clean_title: string | null;
  type: string;
  year: number | null;
  season: number | null;
  episode: number | null;
  size: number;
  created_at: string;
  updated_at: string;
  version: number;
  enriched: boolean;
  enriched_at: string | null;
  tmdb_id: number | null;
  media_type: string | null;
  media_title: string | null;
  original_title: string | null;
  overview: string | null;
  poster_url: string | null;
  rating: number | null;
  vote_count: number | null;
  imdb_id: string | null;
}

export const TMDB_IMAGE_BASE_URL = 'https://image.tmdb.org/t/p/w500';

/**
 * Builds the document for a row, used by pass 1 and pass 3 alike (one builder, so the two passes can
 * never disagree on a field). `normalizedTitle` has separators turned into spaces for the standard analyzer.
 */
export function buildTorrentDocument(
  torrent: TorrentRecord,
  release: ReleaseFields,
  normalizedTitle: string,
): TorrentDocument {
  const media = torrent.enrichmentStatus === 'matched' ? torrent.media : null;
  return {
    info_hash: torrent.infoHash,
    title_raw: torrent.title,
    title: normalizedTitle,
    clean_title: release.title,
    type: media?.mediaType ?? release.type,
    year: media?.year ?? release.year,
    season: release.season,
    episode: release.episode,
    size: torrent.size,
    created_at: torrent.createdAt.toISOString(),
    updated_at: torrent.updatedAt.toISOString(),
    version: torrent.version,
    enriched: media !== null,
    enriched_at: media ? (torrent.enrichedAt?.toISOString() ?? null) : null,
    tmdb_id: media?.tmdbId ?? null,
    media_type: media?.mediaType ?? null,
    media_title: media?.title ?? null,
    original_title: media?.originalTitle ?? null,
    overview: media?.overview ?? null,
    poster_url: media?.posterPath ? `${TMDB_IMAGE_BASE_URL}${media.posterPath}` : null,
    rating: media?.rating ?? null,
    vote_count: media?.voteCount ?? null,
    imdb_id: media?.imdbId ?? null,
  };
}
