/** TMDB's movie genre ids (GET /genre/movie/list), keyed by the short names the catalog table uses. */
export const movieGenres: Readonly<Record<string, { id: number; name: string }>> = {
  action: { id: 28, name: 'Action' },
  adventure: { id: 12, name: 'Adventure' },
  animation: { id: 16, name: 'Animation' },
  comedy: { id: 35, name: 'Comedy' },
  crime: { id: 80, name: 'Crime' },
  documentary: { id: 99, name: 'Documentary' },
  drama: { id: 18, name: 'Drama' },
  family: { id: 10751, name: 'Family' },
  fantasy: { id: 14, name: 'Fantasy' },
  history: { id: 36, name: 'History' },
  horror: { id: 27, name: 'Horror' },
  music: { id: 10402, name: 'Music' },
  mystery: { id: 9648, name: 'Mystery' },
  romance: { id: 10749, name: 'Romance' },
  scifi: { id: 878, name: 'Science Fiction' },
  thriller: { id: 53, name: 'Thriller' },
  war: { id: 10752, name: 'War' },
  western: { id: 37, name: 'Western' },
};

/** TMDB's TV genre ids (GET /genre/tv/list), keyed by the short names the catalog table uses. */
export const tvGenres: Readonly<Record<string, { id: number; name: string }>> = {
  'action-adventure': { id: 10759, name: 'Action & Adventure' },
  animation: { id: 16, name: 'Animation' },
  comedy: { id: 35, name: 'Comedy' },
  crime: { id: 80, name: 'Crime' },
  documentary: { id: 99, name: 'Documentary' },
  drama: { id: 18, name: 'Drama' },
  family: { id: 10751, name: 'Family' },
  kids: { id: 10762, name: 'Kids' },
  mystery: { id: 9648, name: 'Mystery' },
  reality: { id: 10764, name: 'Reality' },
  'scifi-fantasy': { id: 10765, name: 'Sci-Fi & Fantasy' },
  'war-politics': { id: 10768, name: 'War & Politics' },
  western: { id: 37, name: 'Western' },
};

const genreNamesById = new Map(
  [...Object.values(movieGenres), ...Object.values(tvGenres)].map((genre) => [genre.id, genre.name]),
);

/** The `genres` array of a details answer. */
export function genreObjects(ids: readonly number[]): { id: number; name: string }[] {
  return ids.map((id) => ({ id, name: genreNamesById.get(id) ?? 'Unknown' }));
}
