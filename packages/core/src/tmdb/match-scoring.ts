import { titleKey } from '../releases/normalize.js';

const leadingArticle = /^(the|a|an) /;

// Release names often drop a leading article (`Lion.King.2019`).
function withoutArticle(key: string): string {
  return key.replace(leadingArticle, '');
}

/** What the matcher compares a release with. */
export interface ScoredCandidate {
  title: string;
  originalTitle: string;
  year: number | null;
}

/** How alike two title keys are, in [0, 1]: 1 when equal, 0.95 when only a leading article differs. */
export function titleSimilarity(queryKey: string, candidateKey: string): number {
  if (queryKey === '' || candidateKey === '') return 0;
  if (queryKey === candidateKey) return 1;
  const query = withoutArticle(queryKey);
  const candidate = withoutArticle(candidateKey);
  if (query === candidate) return 0.95;
  const edit = 1 - levenshtein(query, candidate) / Math.max(query.length, candidate.length);
  return Math.max(edit, containment(query, candidate));
}

// A release named by the head of a long title (`Birdman` for `Birdman or (The Unexpected Virtue of Ignorance)`)
// is likely that film, but less so the more words it leaves out.
function containment(query: string, candidate: string): number {
  const queryWords = query.split(' ');
  const candidateWords = new Set(candidate.split(' '));
  if (candidateWords.size <= queryWords.length || !queryWords.every((w) => candidateWords.has(w))) return 0;
  return 0.6 + (0.3 * queryWords.length) / candidateWords.size;
}

/**
 * How much the years agree, in [0, 1]. An unknown year costs a little; a series keeps airing after its
 * first-air year, so a release year later than that is no sign of a different series.
 */
export function yearAgreement(
  type: 'movie' | 'tv',
  queryYear: number | null,
  candidateYear: number | null,
): number {
  if (queryYear === null) return 0.9;
  if (candidateYear === null) return 0.8;
  const difference = candidateYear - queryYear;
  if (difference === 0) return 1;
  if (type === 'tv' && difference < 0) return 0.9;
  switch (Math.abs(difference)) {
    case 1:
      return 0.9;
    case 2:
      return 0.75;
    default:
      return 0.5;
  }
}

/** The confidence in [0, 1] that `candidate` is the title a release names: title similarity times year agreement. */
export function matchConfidence(
  query: { type: 'movie' | 'tv'; title: string; year: number | null },
  candidate: ScoredCandidate,
): number {
  const queryKey = titleKey(query.title);
  const similarity = Math.max(
    titleSimilarity(queryKey, titleKey(candidate.title)),
    titleSimilarity(queryKey, titleKey(candidate.originalTitle)),
  );
  return Math.round(similarity * yearAgreement(query.type, query.year, candidate.year) * 1000) / 1000;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
