export {
  TmdbClient,
  parseRetryAfter,
  TMDB_MAX_RESPONSE_BYTES,
  type TmdbApi,
  type TmdbClientOptions,
  type TmdbEndpoint,
} from './tmdb-client.js';
export {
  TmdbMatcher,
  DEFAULT_MATCH_THRESHOLD,
  type TmdbMatchQuery,
  type TmdbMatchResult,
  type TmdbMatchedMedia,
  type TmdbLookupApi,
  type TmdbMatcherOptions,
} from './matcher.js';
export { matchConfidence, titleSimilarity, yearAgreement, type ScoredCandidate } from './match-scoring.js';
export * from './schemas.js';
