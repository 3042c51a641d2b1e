import { describe, expect, it } from 'vitest';
import { isFilmExtra, withoutSamplePrefix } from './film-extras.js';

describe('isFilmExtra', () => {
  it('flags scene extras, featurettes, samples and trailers named after the film and its year', () => {
    const extras: [string, number][] = [
      ['title.2008.720p.bluray.x264-grp-x02-stunts.mkv', 2008],
      ['Title.2015.1080p.BluRay.x264-GRP.Featurette.mkv', 2015],
      ['Title (2011) - Deleted Scenes [1080p].mkv', 2011],
      ['Title.2011.Trailer.1080p.mkv', 2011],
      ['sample-title.2008.720p.bluray.x264.mkv', 2008],
    ];
    for (const [name, year] of extras) expect(isFilmExtra(name, year), name).toBe(true);
  });

  it('leaves the same words alone when they are the title, before the year', () => {
    expect(isFilmExtra('Trailer.Park.2010.1080p.BluRay', 2010)).toBe(false);
    expect(isFilmExtra('The.Sample.2019.720p.WEB', 2019)).toBe(false);
    expect(isFilmExtra('Title.Featurette.1080p', null)).toBe(false);
  });

  it("takes a sample's prefix off the name", () => {
    expect(withoutSamplePrefix('sample-title.2008.720p.mkv')).toBe('title.2008.720p.mkv');
  });
});
