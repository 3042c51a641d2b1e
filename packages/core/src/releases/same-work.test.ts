import { describe, expect, it } from 'vitest';
import { parseRelease } from './release-parser.js';
import { sameWork } from './same-work.js';

const same = (a: string, b: string) => sameWork(parseRelease(a), parseRelease(b));

describe('sameWork', () => {
  it('keeps a work whose release name changed only in its resolution, source or group', () => {
    expect(same('Dune.2021.1080p.WEB-DL.x264-GROUP', 'Dune.2021.2160p.BluRay.x265-OTHER')).toBe(true);
    expect(same('Dune (2021) [1080p] [YTS]', 'Dune.2021.720p.WEBRip')).toBe(true);
  });

  it('tells another film, another year or another season apart', () => {
    expect(same('Dune.2021.1080p.WEB-DL', 'Arrival.2016.1080p.WEB-DL')).toBe(false);
    expect(same('Dune.2021.1080p.WEB-DL', 'Dune.1984.1080p.WEB-DL')).toBe(false);
    expect(same('Severance.S01E01.1080p.WEB', 'Severance.S02E01.1080p.WEB')).toBe(false);
  });

  it('tells a film from a series of the same name apart', () => {
    expect(same('Fargo.1996.1080p.BluRay', 'Fargo.S01E01.1080p.WEB')).toBe(false);
  });
});
