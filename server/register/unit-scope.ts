import { unitKey } from './compare';

/**
 * Which of a clerk's units a name stands for: a register's "đơn vị ban hành" cell or an agency certificate's name,
 * against the units the clerk's token was given: a clerk's upload counts only for the clerk's units.
 *
 * Names are compared as the register cross-check compares them (no case, diacritics or punctuation; UBND, HĐND
 * and TP spelled out), and one must begin the other word for word: a certificate often adds the district or the
 * province after the unit ("UBND xã Vạn Thắng, huyện Vạn Ninh"). Unlike the cross-check's "either contains the
 * other", a name contained further in does not match: "UBND huyện Vạn Ninh" is not "Văn phòng HĐND và UBND huyện
 * Vạn Ninh", and the one must not pass for the other when the result decides whose figures a document joins.
 *
 * What a match returns is the clerk's own spelling of the unit, so a row of a clerk's upload is always stored
 * under one of the clerk's units exactly as the token names it, whatever the register or certificate wrote.
 */

function words(name: string): string[] {
  return unitKey(name)
    .split(' ')
    .filter((w) => w !== '');
}

function beginsEitherWay(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length > 0 && short.every((w, i) => long[i] === w);
}

/** The clerk's unit that `name` names, in the clerk's spelling; null when it names none of them. */
export function unitInScope(scope: readonly string[], name: string | null | undefined): string | null {
  if (!name) return null;
  const named = words(name);
  return scope.find((unit) => beginsEitherWay(words(unit), named)) ?? null;
}
