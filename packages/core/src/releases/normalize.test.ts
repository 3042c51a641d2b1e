import { describe, expect, it } from 'vitest';
import { normalizeTitle, sameTitle, titleKey } from './normalize.js';
import { sanitizeReleaseName, MAX_RELEASE_NAME_LENGTH } from './sanitize.js';

describe('normalizeTitle', () => {
  it('turns separators into single spaces and trims', () => {
    expect(normalizeTitle('The.Dark_Knight-2008..1080p')).toBe('The Dark Knight 2008 1080p');
    expect(normalizeTitle('  Spider-Man:  Far   From Home ')).toBe('Spider Man: Far From Home');
    expect(normalizeTitle('a\u0000b')).toBe('a b');
  });
});

describe('titleKey', () => {
  it.each([
    ['Amélie', 'Amelie'],
    ["Ocean's Eleven", 'Oceans Eleven'],
    ['Fast & Furious', 'Fast and Furious'],
    ['3:10 to Yuma', '3 10 to Yuma'],
    ['WALL·E', 'WALL-E'],
    ['Mission: Impossible - Fallout', 'Mission Impossible Fallout'],
    ['Shōgun', 'Shogun'],
    ['Løvetann', 'lovetann'],
    ['ＦＵＬＬＷＩＤＴＨ', 'fullwidth'],
  ])('gives %s and %s the same key', (a, b) => {
    expect(sameTitle(a, b)).toBe(true);
  });

  it('lowercases and leaves no punctuation', () => {
    expect(titleKey('  Léon: The Professional!! ')).toBe('leon the professional');
    expect(titleKey('?!...')).toBe('');
  });
});

describe('sanitizeReleaseName', () => {
  it('caps the length before anything else runs', () => {
    expect(sanitizeReleaseName('x'.repeat(100_000))).toHaveLength(MAX_RELEASE_NAME_LENGTH);
  });

  it('stays capped when NFKC lengthens the name', () => {
    expect(sanitizeReleaseName('\ufdfa'.repeat(1_000)).length).toBeLessThanOrEqual(MAX_RELEASE_NAME_LENGTH);
  });

  it('drops control characters, invisible characters and lone surrogates', () => {
    expect(sanitizeReleaseName('The\u0000Matrix\u200b\ufeff 1999\ud800')).toBe('The Matrix 1999');
  });

  it('returns an empty string for anything that is not a string', () => {
    expect(sanitizeReleaseName(42)).toBe('');
    expect(sanitizeReleaseName(null)).toBe('');
  });
});
