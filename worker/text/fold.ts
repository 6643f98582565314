/**
 * Names as people type them, compared as one: Vietnamese without its diacritics (đ as d), one space between words,
 * no case. Registers, unit registries and certificates spell the same unit with and without marks; every
 * comparison of such names goes through here, so they cannot drift apart.
 */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** A SHA-256 fingerprint as kiemky writes it: lower-case hex, whatever separators or case it was given with. */
export function normalizeFingerprint(fp: string): string {
  return fp.toLowerCase().replace(/[^0-9a-f]/g, '');
}
