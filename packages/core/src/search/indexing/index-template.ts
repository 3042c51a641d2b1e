import type { SearchEngine } from '../engines/search-engine.js';

/** Raised when the mapping changes; a new version is rolled out with `minato reindex`. */
export const TEMPLATE_VERSION = 2;

/** The index template's name for an alias. */
export function templateName(alias: string): string {
  return `${alias}-template`;
}

/** The concrete indexes behind `alias` all match this pattern. */
export function indexPattern(alias: string): string {
  return `${alias}_v*`;
}

/** The name of a new concrete index for `alias` (the first one is stable so racing replicas agree). */
export function concreteIndexName(alias: string, suffix?: string): string {
  return `${alias}_v${TEMPLATE_VERSION}${suffix ? `_${suffix}` : ''}`;
}

// Only the standard analyzer: the integ-test-zip distribution has no analysis-common, so release names
// are normalised in code (separators to spaces, parsed clean title) before they get here.
const mappings = {
  dynamic: 'strict',
  properties: {
    info_hash: { type: 'keyword' },
    title_raw: { type: 'keyword', ignore_above: 1024 },
    title: { type: 'text' },
    clean_title: { type: 'text' },
    type: { type: 'keyword' },
    year: { type: 'integer' },
    season: { type: 'integer' },
    episode: { type: 'integer' },
    seasons: { type: 'integer' },
    episodes: { type: 'integer' },
    absolute_episodes: { type: 'integer' },
    pack: { type: 'boolean' },
    years: { type: 'integer' },
    title_folded: { type: 'text' },
    // `key` holds each folded title whole, for the exact-title boost.
    work_titles: { type: 'text', fields: { key: { type: 'keyword', ignore_above: 512 } } },
    work_key: { type: 'keyword' },
    size: { type: 'long' },
    created_at: { type: 'date' },
    updated_at: { type: 'date' },
    version: { type: 'long' },
    enriched: { type: 'boolean' },
    enriched_at: { type: 'date' },
    tmdb_id: { type: 'integer' },
    media_type: { type: 'keyword' },
    media_title: { type: 'text' },
    original_title: { type: 'text' },
    overview: { type: 'text' },
    poster_url: { type: 'keyword', index: false },
    rating: { type: 'float' },
    vote_count: { type: 'integer' },
    imdb_id: { type: 'keyword' },
  },
} as const;

/** How the indexes made from the template are laid out on the cluster. */
export interface IndexLayout {
  /** SEARCH_INDEX_REPLICAS: copies of each shard on other nodes (1 survives a lost node; 0 on a one-node cluster) */
  replicas: number;
}

/** Puts the versioned index template for `alias` (idempotent). */
export async function putIndexTemplate(
  engine: SearchEngine,
  alias: string,
  { replicas }: IndexLayout,
): Promise<void> {
  await engine.putIndexTemplate(templateName(alias), {
    index_patterns: [indexPattern(alias)],
    version: TEMPLATE_VERSION,
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
      mappings,
    },
    _meta: { owner: 'minato', alias },
  });
}

/**
 * Makes sure `alias` exists with a write index created from the current template. Safe to call from
 * every replica at start-up: the first index has a fixed name, so a race ends with one index. An index
 * made by an older template gets the fields added since (mapping changes only add fields), so new
 * documents are accepted there until `minato reindex` rebuilds it with the new fields filled in.
 */
export async function ensureIndex(engine: SearchEngine, alias: string, layout: IndexLayout): Promise<void> {
  await putIndexTemplate(engine, alias, layout);
  if (await engine.aliasExists(alias)) {
    await addMissingFields(engine, alias);
    return;
  }
  await engine.createIndex(concreteIndexName(alias), alias);
}

// Only when a field is missing: a steady-state start-up then leaves the indexes alone (one may be read-only).
async function addMissingFields(engine: SearchEngine, alias: string): Promise<void> {
  const current = await engine.mappedFields(alias);
  const wanted = Object.keys(mappings.properties);
  const stale = Object.entries(current)
    .filter(([, fields]) => wanted.some((field) => !fields.includes(field)))
    .map(([index]) => index);
  await engine.addFields(stale, mappings.properties);
}
