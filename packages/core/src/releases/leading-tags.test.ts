import { describe, expect, it } from 'vitest';
import { withoutLeadingTags } from './leading-tags.js';

describe('withoutLeadingTags', () => {
  it('drops a site or tracker in front, bare or bracketed, one or more', () => {
    expect(withoutLeadingTags('example.to - Title.2008.720p')).toBe('Title.2008.720p');
    expect(withoutLeadingTags('(tracker.example) Title.2008.DVDRip')).toBe('Title.2008.DVDRip');
    expect(withoutLeadingTags('[ www.site.net ] - Title 2009 720p')).toBe('Title 2009 720p');
    expect(withoutLeadingTags('[TorrentCouch.net].Title.S01.Complete')).toBe('Title.S01.Complete');
  });

  it("keeps a fansub group's bracket and drops the tag brackets after it", () => {
    expect(withoutLeadingTags('[grp-Name] [BD][1080p] Title 08 [ABCD1234].mkv')).toBe(
      '[grp-Name] Title 08 [ABCD1234].mkv',
    );
  });

  it('leaves dotted titles that are no site alone', () => {
    for (const name of [
      'Mr.Robot.S01E01.720p',
      'Dr.No.1962.1080p',
      'The.Office - Season 2',
      '[DB] Cowboy Bebop',
    ])
      expect(withoutLeadingTags(name), name).toBe(name);
  });
});
