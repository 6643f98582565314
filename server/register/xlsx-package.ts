import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import * as yauzl from 'yauzl';
import { RegisterLimitError } from '../shared/register-limits';
import { XmlScanner, type XmlSink } from './xml';

/**
 * The parts of an XLSX package a register needs, read through its central directory by yauzl: the first sheet in
 * the workbook's order, the shared strings and the styles, whatever their names and wherever they sit in the ZIP
 * (Excel writes the sheet before the shared strings: a reader that follows the ZIP's order must spool the sheet).
 * Each part's declared size is checked against what may be unpacked before a byte is inflated, and yauzl checks
 * that the part then inflates to exactly that size.
 */

/** A real workbook has a few dozen parts: past this, the package is not one. */
const MAX_PARTS = 10_000;

export class XlsxPackage {
  private unpacked = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly parts: Map<string, yauzl.Entry>,
    private readonly maxUnpacked: number,
  ) {}

  static async open(file: string, maxUnpacked: number): Promise<XlsxPackage> {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false });
    const parts = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        if (parts.size >= MAX_PARTS) throw new Error(`more than ${MAX_PARTS} parts: not a workbook`);
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
        parts.set(name.replace(/^\/+/, ''), entry);
      }
    } catch (err) {
      zip.close();
      throw err;
    }
    return new XlsxPackage(zip, parts, maxUnpacked);
  }

  /** Streams a part's XML into the sink; false when the package has no such part. */
  async read(name: string, sink: XmlSink): Promise<boolean> {
    const entry = this.parts.get(name);
    if (!entry) return false;
    this.unpacked += entry.uncompressedSize;
    if (this.unpacked > this.maxUnpacked) throw new RegisterLimitError('unpacked', this.maxUnpacked);
    const scanner = new XmlScanner(sink);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of await this.zip.openReadStreamPromise(entry)) scanner.push(decoder.write(chunk as Buffer));
    scanner.push(decoder.end());
    scanner.end();
    return true;
  }

  close(): void {
    this.zip.close();
  }
}

/** A relationship target, resolved against the folder of the part that names it ("worksheets/sheet1.xml" → "xl/…"). */
export function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromPart), target));
}

/** The relationships part of a part: "xl/workbook.xml" → "xl/_rels/workbook.xml.rels". */
export function relsOf(part: string): string {
  return path.posix.join(path.posix.dirname(part), '_rels', `${path.posix.basename(part)}.rels`);
}

/** `<Relationship Id Type Target>` of a .rels part, by id, with the type's last word ("worksheet", "styles"). */
export class RelationshipsSink implements XmlSink {
  readonly byId = new Map<string, { type: string; target: string }>();
  open(name: string, a: Record<string, string>): void {
    if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
    this.byId.set(a.Id, { type: (a.Type ?? '').split('/').pop() ?? '', target: a.Target });
  }
  close(): void {}
  text(): void {}
  ofType(type: string): string | null {
    for (const r of this.byId.values()) if (r.type === type) return r.target;
    return null;
  }
}
