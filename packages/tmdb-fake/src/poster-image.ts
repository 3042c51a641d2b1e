import { createHash } from 'node:crypto';
import type { Catalog } from './catalog/index.js';

/** TMDB's image CDN path: `/t/p/<size>/<file>`; the fake serves it at the same path, so TMDB_IMAGE_BASE_URL can point at it. */
const IMAGE_PATH = /^\/t\/p\/[a-z0-9]+(\/[0-9A-Za-z]+\.(?:jpg|png|svg))$/;

/** The catalog's titles by image file, so a poster shows the title it stands for. */
export function posterTitles(catalog: Catalog): Map<string, string> {
  const titles = new Map<string, string>();
  for (const movie of catalog.movies) if (movie.posterPath) titles.set(movie.posterPath, movie.title);
  for (const series of catalog.series) if (series.posterPath) titles.set(series.posterPath, series.name);
  return titles;
}

/**
 * A small generated poster (an SVG, 2:3) for an image path of the catalog, or null for another path: dev and
 * tests show real pictures offline. The colours come from the path, so each title keeps its own.
 */
export function posterImage(pathname: string, titles: ReadonlyMap<string, string>): string | null {
  const file = IMAGE_PATH.exec(pathname)?.[1];
  const title = file === undefined ? undefined : titles.get(file);
  if (file === undefined || title === undefined) return null;
  const hue = createHash('sha256').update(file).digest()[0] ?? 0;
  const lines = wrap(title, 14).slice(0, 4);
  const text = lines
    .map((line, i) => `<tspan x="100" dy="${i === 0 ? 0 : 26}">${escapeXml(line)}</tspan>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue * 1.4},55%,38%)"/><stop offset="1" stop-color="hsl(${(hue * 1.4 + 50) % 360},60%,16%)"/></linearGradient></defs>
<rect width="200" height="300" fill="url(#g)"/>
<text x="100" y="${150 - lines.length * 13}" fill="#fff" font-family="sans-serif" font-size="22" font-weight="700" text-anchor="middle">${text}</text>
<text x="100" y="285" fill="#ffffffb0" font-family="sans-serif" font-size="11" text-anchor="middle">TMDB fake</text>
</svg>
`;
}

function wrap(title: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of title.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length + 1 <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
