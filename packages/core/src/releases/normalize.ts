// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;
const SEPARATOR_RUN = /[\s._-]+/g;

/**
 * A release name or title made readable and searchable: separators (`.`, `_`, `-`) and whitespace runs
 * become single spaces, control characters go, ends are trimmed. Case is kept.
 */
export function normalizeTitle(title: string): string {
  return title.replace(CONTROL, ' ').replace(SEPARATOR_RUN, ' ').trim();
}

// Letters that NFKD leaves whole but that people type without their stroke or ligature.
const FOLDED: Record<string, string> = {
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const FOLDABLE = /[æœøßłđðþı]/g;
const COMBINING_MARK = /\p{M}+/gu;
const APOSTROPHE = /['‘’`´ʼ]/g;
const AMPERSAND = /&/g;
const NOT_ALPHANUMERIC_RUN = /[^\p{L}\p{N}]+/gu;

/**
 * The key two titles are compared by: lowercase, without diacritics, `&` read as `and`, apostrophes dropped
 * (`Ocean's` = `Oceans`) and any other punctuation a word break (`3:10` = `3 10`, `WALL·E` = `WALL-E`).
 */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(COMBINING_MARK, '')
    .toLowerCase()
    .replace(FOLDABLE, (c) => FOLDED[c] ?? c)
    .replace(AMPERSAND, ' and ')
    .replace(APOSTROPHE, '')
    .replace(NOT_ALPHANUMERIC_RUN, ' ')
    .trim();
}

/** True when two titles name the same thing once case, accents and punctuation are set aside. */
export function sameTitle(a: string, b: string): boolean {
  return titleKey(a) === titleKey(b);
}
