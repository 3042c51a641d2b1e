import { z } from 'zod';

// Only the fields Minato reads are checked; others pass through unread. TMDB leaves optional text and
// images null or absent, and sends "" for an unknown date, so those are nullish rather than required.
// Fields Minato never reads (popularity, genres, page counts) are described but can never reject an answer:
// real answers have sent `popularity` as a string, and one odd field must not cost a whole page.

const tmdbId = z.number().int().positive();
const optionalText = z.string().nullish();

/** A field Minato does not read: kept when it has the documented type, dropped (undefined) otherwise. */
function unread<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** One film of a search or /find answer. */
export const movieResultSchema = z.object({
  id: tmdbId,
  title: z.string(),
  /** absent from some real answers; the matcher falls back to `title` */
  original_title: optionalText,
  overview: optionalText,
  poster_path: optionalText,
  release_date: optionalText,
  popularity: unread(z.number()),
  vote_average: z.number(),
  vote_count: z.number().int().nonnegative(),
  genre_ids: unread(z.array(z.number().int())),
});

/** One series of a search or /find answer. */
export const tvResultSchema = z.object({
  id: tmdbId,
  name: z.string(),
  /** absent from some real answers; the matcher falls back to `name` */
  original_name: optionalText,
  overview: optionalText,
  poster_path: optionalText,
  first_air_date: optionalText,
  popularity: unread(z.number()),
  vote_average: z.number(),
  vote_count: z.number().int().nonnegative(),
  genre_ids: unread(z.array(z.number().int())),
});

function searchPageSchema<T extends z.ZodType>(result: T) {
  return z.object({
    page: unread(z.number().int().positive()),
    results: z.array(result),
    total_pages: unread(z.number().int().nonnegative()),
    total_results: unread(z.number().int().nonnegative()),
  });
}

/** GET /search/movie */
export const movieSearchSchema = searchPageSchema(movieResultSchema);
/** GET /search/tv */
export const tvSearchSchema = searchPageSchema(tvResultSchema);

const genresSchema = z.array(z.object({ id: z.number().int(), name: z.string() }));

/** GET /movie/{id} */
export const movieDetailsSchema = movieResultSchema.omit({ genre_ids: true }).extend({
  imdb_id: optionalText,
  runtime: unread(z.number().nullable()),
  genres: unread(genresSchema),
});

/** GET /tv/{id}?append_to_response=external_ids */
export const tvDetailsSchema = tvResultSchema.omit({ genre_ids: true }).extend({
  number_of_seasons: unread(z.number().int().nullable()),
  genres: unread(genresSchema),
  external_ids: z.object({ imdb_id: optionalText }).optional(),
});

/** GET /find/{external_id}?external_source=imdb_id */
export const findSchema = z.object({
  movie_results: z.array(movieResultSchema),
  tv_results: z.array(tvResultSchema),
});

/** GET /configuration */
export const configurationSchema = z.object({
  images: z.object({
    base_url: z.string(),
    secure_base_url: z.string(),
    poster_sizes: z.array(z.string()),
    backdrop_sizes: z.array(z.string()),
  }),
});

export type TmdbMovieResult = z.infer<typeof movieResultSchema>;
export type TmdbTvResult = z.infer<typeof tvResultSchema>;
export type TmdbMovieSearch = z.infer<typeof movieSearchSchema>;
export type TmdbTvSearch = z.infer<typeof tvSearchSchema>;
export type TmdbMovieDetails = z.infer<typeof movieDetailsSchema>;
export type TmdbTvDetails = z.infer<typeof tvDetailsSchema>;
export type TmdbFindResult = z.infer<typeof findSchema>;
export type TmdbConfiguration = z.infer<typeof configurationSchema>;

/** The year of a TMDB date (`2019-07-12`), or null when TMDB does not know it (`""` or absent). */
export function yearOfTmdbDate(date: string | null | undefined): number | null {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(date ?? '');
  return match ? Number(match[1]) : null;
}
