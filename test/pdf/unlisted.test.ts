import * as zlib from 'node:zlib';
import { BufferSource } from '../../worker/source';
import { openPdf, PdfDict, PdfName, type PdfDocument } from '../../worker/pdf';
import { basicObjects, PdfBuilder } from './builder';

/**
 * Every object an update's bytes define counts, whatever its xref section says: the PDF layer scans each update as
 * a repairing reader does and records what the xref left out (`unlisted`), what it contradicts (`conflicting`)
 * and how it contradicts itself (`xrefDamage`).
 */

/** Opened, and every update read as a repairing reader would (what the change analysis asks for after a signature). */
function open(buf: Buffer): PdfDocument {
  const doc = openPdf(new BufferSource(buf));
  doc.revealUnlistedObjects(1);
  return doc;
}

const row = (off: number): string => `${String(off).padStart(10, '0')} 00000 n \n`;

/** Original: catalog 1, pages 2, page 3 (with /Contents 4), content 4. */
function original(): PdfBuilder {
  const b = basicObjects(new PdfBuilder());
  b.stream(4, '', Buffer.from('BT /F1 12 Tf (Signed text) Tj ET'));
  b.xrefTable('/Size 5 /Root 1 0 R');
  return b;
}

/** An update writing object 5 (listed) and a new content for 4, then an xref table whose body is `table(offsets)`. */
function updateWith(b: PdfBuilder, table: (o: { four: number; five: number }) => string, prev = b.lastXref): Buffer {
  const five = b.length;
  b.raw('5 0 obj\n<< /Producer (x) >>\nendobj\n');
  const four = b.length;
  b.raw('4 0 obj\n<< /Length 27 >>\nstream\nBT (Different text) Tj ET \nendstream\nendobj\n');
  const at = b.length;
  b.raw(`xref\n0 1\n0000000000 65535 f \n${table({ four, five })}trailer\n<< /Size 6 /Root 1 0 R /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`);
  return b.toBuffer();
}

describe('objects an update holds but its xref does not list', () => {
  it('is read only when asked, and from the revision asked for', () => {
    const buf = updateWith(original(), (o) => `5 1\n${row(o.five)}`);
    const doc = openPdf(new BufferSource(buf));
    expect(doc.revisions[1]).toMatchObject({ unlisted: [], objects: [5] });
    doc.revealUnlistedObjects(2);
    expect(doc.revisions[1]).toMatchObject({ unlisted: [], objects: [5] });
    doc.revealUnlistedObjects(1);
    expect(doc.revisions[1]).toMatchObject({ unlisted: [4], objects: [4, 5] });
  });

  it('a clean update: nothing unlisted, nothing conflicting, no damage', () => {
    const doc = open(updateWith(original(), (o) => `4 2\n${row(o.four)}${row(o.five)}`));
    expect(doc.revisions[1]).toMatchObject({ objects: [4, 5], unlisted: [], conflicting: [], xrefDamage: [] });
  });

  it('a subsection that declares more rows than it has: the object left out is read into the revision', () => {
    const doc = open(updateWith(original(), (o) => `5 2\n${row(o.five)}`));
    const r = doc.revisions[1]!;
    expect(r.unlisted).toEqual([4]);
    expect(r.objects).toEqual([4, 5]);
    expect(r.xrefDamage).toEqual(['subsection "5 2" has 1 row']);
    // As a repairing reader sees it: object 4 as of revision 1 is the new content, as of revision 0 the signed one.
    expect(doc.getObject(4, 1)?.revision).toBe(1);
    expect(doc.getObject(4, 0)?.revision).toBe(0);
  });

  it('a subsection header with no rows, and one that claims ten million', () => {
    const empty = open(updateWith(original(), (o) => `5 1\n${row(o.five)}4 1\n`));
    expect(empty.revisions[1]).toMatchObject({ unlisted: [4], xrefDamage: ['subsection "4 1" has 0 rows'] });
    const huge = open(updateWith(original(), (o) => `5 10000000\n${row(o.five)}`));
    expect(huge.revisions[1]).toMatchObject({ unlisted: [4], xrefDamage: ['subsection "5 10000000" has 1 row'] });
  });

  it('a well-formed xref that simply leaves an object out', () => {
    const doc = open(updateWith(original(), (o) => `5 1\n${row(o.five)}`));
    expect(doc.revisions[1]).toMatchObject({ unlisted: [4], xrefDamage: [] });
  });

  it('an xref that points a number at old bytes while the update defines it: conflicting', () => {
    const b = original();
    const oldFour = b.offsets.get(4)!;
    const doc = open(updateWith(b, (o) => `4 2\n${row(oldFour)}${row(o.five)}`));
    expect(doc.revisions[1]).toMatchObject({ unlisted: [], conflicting: [4] });
  });

  it('`N G obj` inside a stream of the update is data, not an object', () => {
    const b = original();
    const text = Buffer.from('BT (7 0 obj << /Type /Page >> endobj) Tj ET');
    const five = b.length;
    b.raw(`5 0 obj\n<< /Length ${text.length} >>\nstream\n`).raw(text).raw('\nendstream\nendobj\n');
    const at = b.length;
    b.raw(`xref\n5 1\n${row(five)}trailer\n<< /Size 6 /Root 1 0 R /Prev ${b.lastXref} >>\nstartxref\n${at}\n%%EOF\n`);
    expect(open(b.toBuffer()).revisions[1]).toMatchObject({ unlisted: [], conflicting: [] });
  });

  it('an xref offset one byte early (at the newline before the header) still names that object', () => {
    const b = original();
    const five = b.length;
    b.raw('\n5 0 obj\n<< /Producer (x) >>\nendobj\n');
    const at = b.length;
    b.raw(`xref\n5 1\n${row(five)}trailer\n<< /Size 6 /Root 1 0 R /Prev ${b.lastXref} >>\nstartxref\n${at}\n%%EOF\n`);
    expect(open(b.toBuffer()).revisions[1]).toMatchObject({ unlisted: [], conflicting: [] });
  });

  it('an update a later /Prev skips: its objects belong to the next revision, unlisted', () => {
    const b = original();
    const first = b.lastXref;
    updateWith(b, (o) => `4 2\n${row(o.four)}${row(o.five)}`);
    const six = b.length;
    b.raw('6 0 obj\n<< /Producer (y) >>\nendobj\n');
    const at = b.length;
    b.raw(`xref\n6 1\n${row(six)}trailer\n<< /Size 7 /Root 1 0 R /Prev ${first} >>\nstartxref\n${at}\n%%EOF\n`);
    const doc = open(b.toBuffer());
    expect(doc.revisions).toHaveLength(2);
    expect(doc.revisions[1]).toMatchObject({ objects: [4, 5, 6], unlisted: [4, 5] });
  });

  it('an xref stream whose /Index asks for more rows than its data holds is damage, and what it leaves out is unlisted', () => {
    const b = original();
    const five = b.length;
    b.raw('5 0 obj\n<< /Producer (x) >>\nendobj\n');
    b.raw('4 0 obj\n<< /Length 9 >>\nstream\nBT (y) Tj\nendstream\nendobj\n');
    const at = b.length;
    const rows = Buffer.alloc(14);
    rows[0] = 1;
    rows.writeUInt32BE(five, 1);
    rows[7] = 1;
    rows.writeUInt32BE(at, 8);
    const xref = zlib.deflateSync(rows);
    // /Index [5 2 4 1]: three rows asked for, two in the data (5 and the xref stream 6); object 4 has none.
    b.raw(`6 0 obj\n<< /Type /XRef /W [1 4 2] /Index [5 2 4 1] /Size 7 /Root 1 0 R /Prev ${b.lastXref} /Filter /FlateDecode /Length ${xref.length} >>\nstream\n`)
      .raw(xref)
      .raw(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`);
    const doc = open(b.toBuffer());
    expect(doc.revisions[1]).toMatchObject({ unlisted: [4], xrefDamage: ['/Index range "4 1" has 0 rows of data'] });
  });

  it('an object stream member the xref stream does not list is read as compressed in that stream', () => {
    const b = original();
    // Object stream 7 holds a new page dictionary for 3; the xref stream lists only the object stream.
    const members = '3 0 ';
    const body = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Rotate 90 >>\n';
    const data = zlib.deflateSync(Buffer.from(members + body, 'latin1'));
    const seven = b.length;
    b.raw(`7 0 obj\n<< /Type /ObjStm /N 1 /First ${members.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`).raw(data).raw('\nendstream\nendobj\n');
    const at = b.length;
    const rows = Buffer.alloc(14);
    rows[0] = 1;
    rows.writeUInt32BE(seven, 1);
    rows[7] = 1;
    rows.writeUInt32BE(at, 8);
    const xref = zlib.deflateSync(rows);
    b.raw(`8 0 obj\n<< /Type /XRef /W [1 4 2] /Index [7 2] /Size 9 /Root 1 0 R /Prev ${b.lastXref} /Filter /FlateDecode /Length ${xref.length} >>\nstream\n`)
      .raw(xref)
      .raw(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`);
    const doc = open(b.toBuffer());
    expect(doc.revisions[1]).toMatchObject({ unlisted: [3], conflicting: [] });
    const page = doc.getObject(3, 1)?.value;
    expect(page instanceof PdfDict ? page.get('Rotate') : null).toBe(90);
    expect(doc.catalog(1)?.get('Type')).toEqual(new PdfName('Catalog'));
  });
});
