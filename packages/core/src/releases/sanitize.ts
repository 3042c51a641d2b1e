/**
 * Longest name the parser looks at. Real release names stay well under 300 characters; capping before any
 * regex runs bounds the work per name whatever arrives (a 100 KB line, a binary blob).
 */
export const MAX_RELEASE_NAME_LENGTH = 300;

// C0/C1 controls, the Unicode replacement character (what invalid UTF-8 decodes to), and invisible format
// characters (zero-width, bidi overrides, BOM) that would otherwise split or glue words unseen.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufffd]+/g;
// Half of a surrogate pair without its other half: not text, and not valid in the UTF-8 written downstream.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NON_PRINTABLE_ASCII = /[^\x20-\x7e]/;
const WHITESPACE_RUN = /\s+/g;

/** Turns any input into a bounded, printable, NFKC-normalized single line (empty when nothing is left). */
export function sanitizeReleaseName(input: unknown): string {
  if (typeof input !== 'string') return '';
  let name = input.slice(0, MAX_RELEASE_NAME_LENGTH);
  // Most names are plain ASCII: skip the Unicode passes for them.
  if (NON_PRINTABLE_ASCII.test(name)) {
    // NFKC can lengthen a string (one ligature becomes up to 18 letters), so cap again after it.
    name = name
      .replace(UNPRINTABLE, ' ')
      .normalize('NFKC')
      .slice(0, MAX_RELEASE_NAME_LENGTH)
      .replace(LONE_SURROGATE, '');
  }
  return name.replace(WHITESPACE_RUN, ' ').trim();
}
