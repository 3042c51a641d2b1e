// Filler that fits TMDB's shapes: a search result as TMDB sends one, with a long overview.
const fillerOverview = 'An answer padded to test how much of it a client is willing to read. '.repeat(10);

function fillerResult(id: number) {
  return {
    adult: false,
    backdrop_path: null,
    genre_ids: [18],
    id,
    original_language: 'en',
    original_title: `Filler ${id}`,
    overview: fillerOverview,
    popularity: 0.1,
    poster_path: null,
    release_date: '1999-01-01',
    title: `Filler ${id}`,
    video: false,
    vote_average: 0,
    vote_count: 0,
  };
}

/**
 * The right answer grown to at least `bytes` while keeping its shape: a search page gets thousands of extra
 * results after the real ones (TMDB sends 20 a page), any other answer a long `overview`.
 */
export function hugeAnswer(body: unknown, bytes: number): string {
  const answer = { ...(body as Record<string, unknown>) };
  const results = answer.results;
  if (Array.isArray(results)) {
    const each = JSON.stringify(fillerResult(1_000_000)).length + 1;
    const count = Math.ceil(bytes / each);
    answer.results = [
      ...(results as unknown[]),
      ...Array.from({ length: count }, (_, i) => fillerResult(1_000_000 + i)),
    ];
    answer.total_results = (answer.results as unknown[]).length;
  } else {
    answer.overview = fillerOverview.repeat(Math.ceil(bytes / fillerOverview.length));
  }
  return JSON.stringify(answer);
}
