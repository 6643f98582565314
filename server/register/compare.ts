import { fold } from '../shared/text';

/**
 * How a hand-typed register value is compared with a certificate name: without diacritics, case or punctuation,
 * the way the clerk's spelling and the CA's spelling of the same name differ.
 */

function words(text: string): string[] {
  return fold(text.replace(/[^\p{L}\p{N}]+/gu, ' '))
    .split(' ')
    .filter((w) => w !== '');
}

function endsWith(long: string[], short: string[]): boolean {
  if (short.length > long.length) return false;
  const offset = long.length - short.length;
  return short.every((w, i) => long[offset + i] === w);
}

/**
 * A register signer matches the certificate's name when they are equal, or when one ends with the other (of at
 * least two words): the register often writes the authority line too ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH Nguyễn Văn A").
 */
export function signerMatches(registerSigner: string, commonName: string): boolean {
  const a = words(registerSigner);
  const b = words(commonName);
  if (a.length === 0 || b.length === 0) return false;
  if (a.join(' ') === b.join(' ')) return true;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return short.length >= 2 && endsWith(long, short);
}

/** Abbreviations agencies write in registers but CAs spell out in certificates. */
const EXPANSIONS: [RegExp, string][] = [
  [/\bubnd\b/g, 'uy ban nhan dan'],
  [/\bhdnd\b/g, 'hoi dong nhan dan'],
  [/\btp\b/g, 'thanh pho'],
];

/** A unit name as compared: folded words, abbreviations spelled out (also the clerk scope's key, unit-scope.ts). */
export function unitKey(text: string): string {
  let key = words(text).join(' ');
  for (const [re, full] of EXPANSIONS) key = key.replace(re, full);
  return key;
}

/** Units match when either name contains the other ("Phòng Tư pháp" within "Phòng Tư pháp huyện Vạn Ninh"). */
export function unitMatches(registerUnit: string, organizationName: string): boolean {
  const a = unitKey(registerUnit);
  const b = unitKey(organizationName);
  if (a === '' || b === '') return false;
  return ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);
}
