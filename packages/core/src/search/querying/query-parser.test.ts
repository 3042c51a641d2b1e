import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './query-parser.js';

describe('parseSearchQuery', () => {
  it.each([
    ['friends s03e02', 'friends', 3, [2]],
    ['friends 3x02', 'friends', 3, [2]],
    ['Friends S04E12E13', 'friends', 4, [12, 13]],
    ['friends s04 e08-e09', 'friends', 4, [8, 9]],
    ['friends season 3 episode 2', 'friends', 3, [2]],
    ['dark staffel 2 folge 5', 'dark', 2, [5]],
    ['la casa de papel temporada 3', 'la casa de papel', 3, []],
    ['game of thrones season five', 'game of thrones', 5, []],
    ['boku no hero academia 7th season', 'boku no hero academia', 7, []],
    ['fargo fourth season', 'fargo', 4, []],
  ])('reads %j as title %j, season %j, episodes %j', (text, title, season, episodes) => {
    expect(parseSearchQuery(text)).toMatchObject({ title, season, episodes });
  });

  it('asks for a pack when a season has no episode, or the text says complete', () => {
    expect(parseSearchQuery('breaking bad season 4')).toMatchObject({ pack: true, season: 4 });
    expect(parseSearchQuery('breaking bad s04')).toMatchObject({ pack: true, season: 4 });
    expect(parseSearchQuery('the sopranos complete series')).toMatchObject({
      title: 'the sopranos',
      pack: true,
      season: null,
    });
    expect(parseSearchQuery('breaking bad s04e01').pack).toBe(false);
  });

  it('folds the title the way documents are folded: apostrophes, accents and & go', () => {
    expect(parseSearchQuery("Ocean's Eleven 2001")).toMatchObject({ title: 'oceans eleven', year: 2001 });
    expect(parseSearchQuery('Amélie 2001').title).toBe('amelie');
    expect(parseSearchQuery('Law & Order SVU s25e13').title).toBe('law and order svu');
  });

  it('keeps a bare trailing number as either an absolute episode or the end of the title', () => {
    expect(parseSearchQuery('one piece 1000')).toMatchObject({ title: 'one piece', trailingNumber: 1000 });
    expect(parseSearchQuery('mob psycho 100')).toMatchObject({ title: 'mob psycho', trailingNumber: 100 });
    expect(parseSearchQuery('86')).toMatchObject({ title: '86', trailingNumber: null });
    expect(parseSearchQuery('blade runner 2049 2017')).toMatchObject({
      title: 'blade runner 2049',
      year: 2017,
      trailingNumber: null,
    });
  });

  it('reads a title that is only a number as the title, not as a year', () => {
    expect(parseSearchQuery('1917').title).toBe('1917');
    expect(parseSearchQuery('2012')).toMatchObject({ title: '2012', year: 2012 });
  });

  it('leaves the title empty when only numbering was typed, and the folded text for full text', () => {
    expect(parseSearchQuery('S01E01')).toMatchObject({
      title: null,
      season: 1,
      episodes: [1],
      text: 's01e01',
    });
    expect(parseSearchQuery('   ')).toMatchObject({ title: null, text: '' });
  });

  it('never throws, whatever is typed', () => {
    for (const text of ['', '!!!', 's', 'season', 'season 0', '(((', 'ß'.repeat(300), '1x', 'e 99999']) {
      expect(() => parseSearchQuery(text), text).not.toThrow();
    }
  });
});
