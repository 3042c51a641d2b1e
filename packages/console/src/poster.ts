import { TMDB_IMAGE_BASE_URL } from '@minato/core';

/**
 * Where the browser loads a poster from: the path TMDB gives (`/abc.jpg`), or the one inside a document's
 * `poster_url` (written against TMDB's CDN), under TMDB_IMAGE_BASE_URL, so an offline setup shows the fake's.
 */
export function posterSource(pathOrUrl: string | null, base: string): string | null {
  if (!pathOrUrl) return null;
  const path = pathOrUrl.startsWith(TMDB_IMAGE_BASE_URL)
    ? pathOrUrl.slice(TMDB_IMAGE_BASE_URL.length)
    : pathOrUrl;
  return path.startsWith('/') ? `${base.replace(/\/$/, '')}${path}` : null;
}
