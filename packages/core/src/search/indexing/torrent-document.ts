import type { TorrentRecord } from '../../db/torrent-repository.js';
import { titleKey } from '../../releases/normalize.js';
import { workKey } from './work-key.js';

/** What the document builder needs from the release parser. */
export interface ReleaseFields {
  type: 'movie' | 'tv' | 'other';
  title: string | null;
  year: number | null;
  season: number | null;
  episode: number | null;
  /** every season a pack or a multi-season release holds */
  seasons: readonly number[];
  /** every episode of a multi-episode release (`S04E12E13`), or an anime's absolute number */
  episodes: readonly number[];
  complete: boolean;
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
  seasons: number[];
  episodes: number[];
  /** episode numbers given without a season (`[SubsPlease] One Piece - 1000`): anime's absolute numbering */
  absolute_episodes: number[];
  /** a whole season or more (`S04.COMPLETE`, `S01-S08`), not single episodes */
  pack: boolean;
  /** the TMDB year and the year in the release name, where they are known (they differ for some films) */
  years: number[];
  /** the release name folded by `titleKey` (lowercase, no accents or apostrophes, `&` as `and`) */
  title_folded: string;
  /** the parsed, TMDB and original titles, folded the same way: what a query's title words are matched on */
  work_titles: string[];
  /** the releases of one work share it; search collapses on it */
  work_key: string;
  size: number;
  created_at: string;
  updated_at: string;
  /** the external version written (the row's under the search epoch): its maximum tells an epoch in use */
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
  const seasons = [...release.seasons];
  const episodes = [...release.episodes];
  const type = media?.mediaType ?? release.type;
  return {
    info_hash: torrent.infoHash,
    title_raw: torrent.title,
    title: normalizedTitle,
    clean_title: release.title,
    type,
    year: media?.year ?? release.year,
    season: release.season,
    episode: release.episode,
    seasons,
    episodes,
    absolute_episodes: seasons.length === 0 ? episodes : [],
    pack: release.complete || seasons.length > 1 || (seasons.length > 0 && episodes.length === 0),
    years: distinct([media?.year ?? null, release.year]),
    title_folded: titleKey(normalizedTitle),
    work_titles: distinct([release.title, media?.title ?? null, media?.originalTitle ?? null].map(folded)),
    work_key: workKey({
      type,
      tmdbId: media?.tmdbId ?? null,
      mediaType: media?.mediaType ?? null,
      title: release.title,
      year: media?.year ?? release.year,
      seasons,
      episodes,
      complete: release.complete,
    }),
    size: torrent.size,
    created_at: torrent.createdAt.toISOString(),
    updated_at: torrent.updatedAt.toISOString(),
    version: torrent.externalVersion,
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

function folded(title: string | null): string | null {
  const key = title === null ? '' : titleKey(title);
  return key === '' ? null : key;
}

function distinct<T>(values: readonly (T | null)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== null))];
}
