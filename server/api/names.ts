/**
 * Text a client sends that ends up in names — file names, unit names, token labels, ids in a path — must not carry
 * characters that act rather than show.
 */

/**
 * Characters no file name should hold: C0 and C1 controls (a CR splits a log line, an ESC drives the clerk's
 * terminal, a NUL cannot be stored), DEL, line and paragraph separators, and the bidirectional overrides that make
 * a name display as something it is not (an .exe shown ending in .pdf).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export function hasControlCharacters(name: string): boolean {
  return CONTROL.test(name);
}

/** The name with each control character written as \u{…}, so the error message shows where it was. */
export function visibleName(name: string): string {
  return name.replace(new RegExp(CONTROL.source, 'gu'), (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}
