/**
 * Document names made unique within a batch. Two parts of an upload may have the same file name, and so may two
 * entries of a ZIP (a ZIP tool writes what it is given): both are kept — a document is never dropped for its
 * name — and the later one is renamed the way a file manager names a second copy, "a.pdf" → "a (2).pdf", and
 * listed, so the clerk can tell which is which. The batch, the store and the report all key documents by name.
 */

export interface TakenName {
  name: string;
  /** The name as given, when it had to be changed. */
  renamedFrom: string | null;
}

/** "thang.zip/x/a.pdf" and 2 → "thang.zip/x/a (2).pdf": the number goes before the extension of the last part. */
function numbered(name: string, n: number): string {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  const at = dot > slash + 1 ? dot : name.length;
  return `${name.slice(0, at)} (${n})${name.slice(at)}`;
}

export class UniqueNames {
  private readonly taken = new Set<string>();

  take(name: string): TakenName {
    if (!this.taken.has(name)) {
      this.taken.add(name);
      return { name, renamedFrom: null };
    }
    // A name of the form "a (2).pdf" may itself have been given already: the first free number is used.
    for (let n = 2; ; n++) {
      const candidate = numbered(name, n);
      if (!this.taken.has(candidate)) {
        this.taken.add(candidate);
        return { name: candidate, renamedFrom: name };
      }
    }
  }
}
