import type { estypes } from '@elastic/elasticsearch';
import type { SearchRequest } from '../engines/search-engine.js';
import { parseSearchQuery, type SearchQuery } from './query-parser.js';
import { fullTextQuery, structuredQuery } from './search-request.js';
import type { TorrentDocument } from '../indexing/torrent-document.js';

/** One release in a search answer. */
export interface SearchHit {
  infoHash: string;
  titleRaw: string;
  title: string;
  type: string;
  year: number | null;
  seasons: number[];
  episodes: number[];
  pack: boolean;
  mediaTitle: string | null;
  rating: number | null;
  posterUrl: string | null;
  overview: string | null;
  /** bytes */
  size: number | null;
  /** the work this release belongs to (see `workKey`) */
  work: string;
  score: number;
}

/** One work (a film, an episode, a season pack) and its best-matching releases, best first. */
export interface WorkGroup {
  work: string;
  releases: SearchHit[];
}

export interface SearchResult {
  query: SearchQuery;
  /** true when the parsed query found nothing and plain full text answered instead */
  fullText: boolean;
  works: WorkGroup[];
}

/** The one call a search makes: the engine has it, and so has the query side's own client (`QueryClient`). */
export interface SearchCaller {
  search<TDocument>(request: SearchRequest): Promise<estypes.SearchResponse<TDocument>>;
}

export interface SearchOptions {
  /** releases shown under each work (default 3) */
  releasesPerWork?: number;
  /** works to skip, for the next pages of an answer (default 0) */
  offset?: number;
}

const SOURCE_FIELDS = [
  'info_hash',
  'title_raw',
  'title',
  'type',
  'year',
  'seasons',
  'episodes',
  'pack',
  'media_title',
  'rating',
  'poster_url',
  'overview',
  'size',
  'work_key',
];

type HitSource = Partial<TorrentDocument> & Pick<TorrentDocument, 'info_hash' | 'title_raw' | 'title'>;

/**
 * Searches for what a user typed (`dune 2021`, `friends 3x02`, `breaking bad season 4`, `one piece 1000`)
 * and answers with up to `limit` distinct works, each with its best releases. Text the parser cannot
 * read, or a parsed query that finds nothing, is searched again as plain full text.
 */
export async function searchTorrents(
  client: SearchCaller,
  index: string,
  text: string,
  limit: number,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const query = parseSearchQuery(text);
  const run = (q: estypes.QueryDslQueryContainer) =>
    searchWorks(client, index, q, { from: options.offset ?? 0, size: limit }, options.releasesPerWork ?? 3);
  const structured = query.title !== null || query.season !== null || query.episodes.length > 0;
  if (structured) {
    const { works, matched } = await run(structuredQuery(query));
    // A later page past the last work is empty, not a miss: full text would answer a different question.
    if (matched) return { query, fullText: false, works };
  }
  if (query.text === '') return { query, fullText: true, works: [] };
  return { query, fullText: true, works: (await run(fullTextQuery(query))).works };
}

async function searchWorks(
  client: SearchCaller,
  index: string,
  query: estypes.QueryDslQueryContainer,
  page: { from: number; size: number },
  releasesPerWork: number,
): Promise<{ works: WorkGroup[]; matched: boolean }> {
  const response = await client.search<HitSource>({
    index,
    ...page,
    query,
    _source: SOURCE_FIELDS,
    collapse: {
      field: 'work_key',
      inner_hits: { name: 'releases', size: releasesPerWork, _source: SOURCE_FIELDS },
    },
  });
  const total = response.hits.total;
  const matched = (typeof total === 'number' ? total : (total?.value ?? response.hits.hits.length)) > 0;
  const works = response.hits.hits.flatMap((top) => {
    const inner = top.inner_hits?.releases?.hits.hits ?? [top];
    const releases = inner.flatMap((hit) =>
      hit._source ? [toHit(hit._source as HitSource, hit._score)] : [],
    );
    // Documents written before the work key existed (until `minato reindex`) collapse into one
    // keyless group: show each as a work of its own rather than as one.
    if (top._source?.work_key === undefined) return releases.map((r) => ({ work: r.work, releases: [r] }));
    return releases.length > 0 ? [{ work: top._source.work_key, releases }] : [];
  });
  return { works, matched };
}

function toHit(doc: HitSource, score: number | null | undefined): SearchHit {
  return {
    infoHash: doc.info_hash,
    titleRaw: doc.title_raw,
    title: doc.title,
    type: doc.type ?? 'other',
    year: doc.year ?? null,
    seasons: doc.seasons ?? [],
    episodes: doc.episodes ?? [],
    pack: doc.pack ?? false,
    mediaTitle: doc.media_title ?? null,
    rating: doc.rating ?? null,
    posterUrl: doc.poster_url ?? null,
    overview: doc.overview ?? null,
    size: doc.size ?? null,
    work: doc.work_key ?? `release:${doc.info_hash}`,
    score: score ?? 0,
  };
}
