import { SaxesParser } from 'saxes';
import * as yauzl from 'yauzl';

/**
 * An OOXML package (DOCX) read back as a map of part name to bytes, and a strict XML 1.0 check (saxes: illegal
 * characters, unbalanced tags, undeclared entities all fail) of every XML part: what Word refuses to open.
 */

export async function zipParts(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true });
  const parts = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      parts.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return parts;
}

/** Throws, naming the part, unless the text is well-formed XML 1.0. */
export function assertWellFormed(name: string, xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  try {
    parser.write(xml).close();
  } catch (err) {
    throw new Error(`${name} is not well-formed XML: ${(err as Error).message}`);
  }
}

export function partText(parts: Map<string, Buffer>, name: string): string {
  const part = parts.get(name);
  if (!part) throw new Error(`no part ${name} in the package (has ${[...parts.keys()].join(', ')})`);
  return part.toString('utf8');
}
