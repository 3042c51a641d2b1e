import type { estypes } from '@elastic/elasticsearch';
import { NUMBER_WORDS, ORDINAL_WORDS, SEASON_WORDS, type SearchQuery } from './query-parser.js';

type Query = estypes.QueryDslQueryContainer;

// Folded fields only: the query is folded by the same `titleKey` as the documents, so the standard
// analyzer sees the same tokens on both sides (`oceans`, `and`, `amelie`).
const TITLE_FIELDS = ['work_titles^3', 'title_folded'];

// Boosts on top of BM25, which scores a few title words at roughly 2 to 15: the exact title decides
// between works (`alien` / `aliens`), the year between remakes, an absolute number between episodes.
const EXACT_TITLE_BOOST = 6;
const TITLE_PHRASE_BOOST = 2;
const YEAR_BOOST = 4;
const PACK_BOOST = 4;
const FIRST_SEASON_BOOST = 2;
const ABSOLUTE_EPISODE_BOOST = 8;
const EPISODE_BOOST = 4;
const NUMBER_IN_TITLE_BOOST = 3;
const ENRICHED_BOOST = 0.5;

/**
 * The query for a parsed search: every title word in some title field (`cross_fields`, so the words
 * may be spread over the parsed, TMDB and raw titles), season and episode as filters on the parsed
 * numbers, year, pack and a trailing number as boosts, since a query's year may be part of a title.
 */
export function structuredQuery(query: SearchQuery): Query {
  const must: Query[] = query.title === null ? [] : [titleWords(query.title)];
  const should: Query[] = [{ term: { enriched: { value: true, boost: ENRICHED_BOOST } } }];
  if (query.title !== null) {
    should.push(
      { term: { 'work_titles.key': { value: query.title, boost: EXACT_TITLE_BOOST } } },
      { match_phrase: { work_titles: { query: query.title, boost: TITLE_PHRASE_BOOST } } },
    );
  }
  if (query.year !== null) should.push({ term: { years: { value: query.year, boost: YEAR_BOOST } } });
  if (query.pack) should.push({ term: { pack: { value: true, boost: PACK_BOOST } } });
  // `season 3`: the pack of season 3 before the pack of seasons 1 to 4 (`season` is a release's first).
  if (query.season !== null)
    should.push({ term: { season: { value: query.season, boost: FIRST_SEASON_BOOST } } });
  if (query.trailingNumber !== null) should.push(...numberReadings(query.trailingNumber));
  if (query.season === null && query.episodes.length > 0) should.push(...episodeReadings(query.episodes));
  return { bool: { must, filter: numberingFilter(query), should } };
}

/** Plain full text over every title field, for text the parser cannot read or a structured miss. */
export function fullTextQuery(query: SearchQuery): Query {
  return {
    bool: {
      must: [titleWords(query.text, ['title', 'clean_title', 'media_title', 'original_title'])],
      should: [{ term: { enriched: { value: true, boost: ENRICHED_BOOST } } }],
    },
  };
}

function titleWords(words: string, extraFields: string[] = []): Query {
  return {
    multi_match: {
      query: words,
      type: 'cross_fields',
      fields: [...TITLE_FIELDS, ...extraFields],
      operator: 'and',
    },
  };
}

/**
 * `s03e02`: that season and one of those episodes; `season 4`: packs holding it and its episodes. A name
 * whose numbering the release parser did not read (no `seasons`) can still match on its words.
 */
function numberingFilter(query: SearchQuery): Query[] {
  if (query.season === null) return [];
  const { season, episodes } = query;
  if (episodes.length > 0) {
    const parsed: Query = { bool: { filter: [{ term: { seasons: season } }, { terms: { episodes } }] } };
    return [anyOf([parsed, unparsed({ terms: { title_folded: compactEpisodes(season, episodes) } })])];
  }
  // A complete-series pack that names no season (`Band.of.Brothers.2001.COMPLETE`) holds every season.
  const seasonlessPack: Query = {
    bool: { filter: [{ term: { pack: true } }], must_not: [{ exists: { field: 'seasons' } }] },
  };
  const written = seasonPhrases(season).map((phrase): Query => ({ match_phrase: { title_folded: phrase } }));
  return [anyOf([{ term: { seasons: season } }, seasonlessPack, unparsed(anyOf(written))])];
}

/** `season 4`, `staffel 4`, `season four`, `fourth season`, `4th season`. */
function seasonPhrases(season: number): string[] {
  const suffix = ['th', 'st', 'nd', 'rd'][season % 10 > 3 || Math.floor(season / 10) === 1 ? 0 : season % 10];
  const ordinals = [`${season}${suffix}`, ORDINAL_WORDS[season - 1]].filter((o) => o !== undefined);
  return SEASON_WORDS.flatMap((word) => [
    ...[String(season), NUMBER_WORDS[season - 1]].filter((n) => n !== undefined).map((n) => `${word} ${n}`),
    ...ordinals.map((o) => `${o} ${word}`),
  ]);
}

/** `309` and `3x09`, as single tokens of a folded release name. */
function compactEpisodes(season: number, episodes: number[]): string[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  return episodes.flatMap((e) => [`${season}${pad(e)}`, `${season}x${pad(e)}`, `${pad(season)}x${pad(e)}`]);
}

function unparsed(query: Query): Query {
  return { bool: { filter: [query], must_not: [{ exists: { field: 'seasons' } }] } };
}

function anyOf(queries: Query[]): Query {
  return { bool: { should: queries, minimum_should_match: 1 } };
}

/** `one piece 1000`: absolute episode 1000, episode 1000 of some season, or a title ending in 1000. */
function numberReadings(n: number): Query[] {
  const readings: Query[] = [
    ...episodeReadings([n]),
    { match: { title_folded: { query: String(n), boost: NUMBER_IN_TITLE_BOOST } } },
  ];
  // `simpsons 309` is season 3 episode 9 in the compact numbering of some release names.
  if (n >= 100 && n % 100 > 0) {
    readings.push({
      constant_score: {
        filter: {
          bool: { filter: [{ term: { seasons: Math.floor(n / 100) } }, { term: { episodes: n % 100 } }] },
        },
        boost: EPISODE_BOOST,
      },
    });
  }
  return readings;
}

function episodeReadings(episodes: number[]): Query[] {
  return [
    { terms: { absolute_episodes: episodes, boost: ABSOLUTE_EPISODE_BOOST } },
    { terms: { episodes, boost: EPISODE_BOOST } },
  ];
}
