import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './catalog/index.js';
import { posterImage, posterTitles } from './poster-image.js';

describe('posterImage', () => {
  const titles = posterTitles(defaultCatalog);
  const movie = defaultCatalog.movies.find((m) => m.posterPath !== null && m.title.includes(' '));

  it('draws an SVG naming the title for a catalog poster path under any TMDB size', () => {
    const svg = posterImage(`/t/p/w500${movie?.posterPath ?? ''}`, titles);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain(movie?.title.split(' ')[0]);
    expect(posterImage(`/t/p/original${movie?.posterPath ?? ''}`, titles)).toBe(svg);
  });

  it('answers null for a path the catalog does not hold or that is not an image path', () => {
    expect(posterImage('/t/p/w500/AAAAAAAAAAAAAAAAAAAAAAAAAAA.jpg', titles)).toBeNull();
    expect(posterImage(`/3${movie?.posterPath ?? ''}`, titles)).toBeNull();
  });

  it('escapes markup in a title', () => {
    const svg = posterImage('/t/p/w500/x.jpg', new Map([['/x.jpg', 'Tom & <Jerry>']]));
    expect(svg).toContain('Tom &#38; &#60;Jerry&#62;');
  });
});
