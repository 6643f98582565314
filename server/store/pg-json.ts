/**
 * JSON text for PostgreSQL's json and jsonb. A report carries text the PDF chose (a signature's /Reason, a
 * certificate's name, a file name), and PostgreSQL refuses two things JSON allows: the NUL character and a lone
 * UTF-16 surrogate (SQLSTATE 22P05). Either made a document's report impossible to store, on every retry, and its
 * batch never finished. Both become U+FFFD, the replacement character, in what is stored.
 */

/**
 * JSON.stringify writes those two, and no other character of a string, as the escapes matched here (a valid
 * surrogate pair is written as itself); an escape counts only when its backslash is not itself escaped.
 */
const REFUSED = /(?<!\\)((?:\\\\)*)\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;

export function pgJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes('\\u') ? text.replace(REFUSED, '$1\\ufffd') : text;
}
