import type { Client } from '@elastic/elasticsearch';
import type { TorrentDocument } from './torrent-document.js';

export interface SearchHit {
  infoHash: string;
  titleRaw: string;
  title: string;
  type: string;
  year: number | null;
  mediaTitle: string | null;
  rating: number | null;
  posterUrl: string | null;
  overview: string | null;
}

/** Full-text search over the normalised, parsed and TMDB titles; enriched matches rank a little higher. */
export async function searchTorrents(
  client: Client,
  index: string,
  query: string,
  limit: number,
): Promise<SearchHit[]> {
  const response = await client.search<TorrentDocument>({
    index,
    size: limit,
    query: {
      bool: {
        must: [
          {
            multi_match: {
              query,
              fields: ['title', 'clean_title^2', 'media_title^2', 'original_title'],
              operator: 'and',
            },
          },
        ],
        should: [{ term: { enriched: { value: true, boost: 0.5 } } }],
      },
    },
  });
  return response.hits.hits.flatMap((hit) => {
    const doc = hit._source;
    if (!doc) return [];
    return [
      {
        infoHash: doc.info_hash,
        titleRaw: doc.title_raw,
        title: doc.title,
        type: doc.type,
        year: doc.year,
        mediaTitle: doc.media_title,
        rating: doc.rating,
        posterUrl: doc.poster_url,
        overview: doc.overview,
      },
    ];
  });
}
