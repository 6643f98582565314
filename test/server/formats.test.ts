import ExcelJS from 'exceljs';
import type { BatchReport } from '../../worker/report';
import { batchFinding } from '../../server/shared/messages';
import { parseCsv } from '../../server/register/csv';
import { formatCsv } from '../../server/report/format-csv';
import { formatJson, jsonPieces, PieceBatcher } from '../../server/report/format-json';
import { formatTable } from '../../server/report/format-table';
import { formatXlsx } from '../../server/report/format-xlsx';
import { buildBatchReport } from '../../server/report/summary';
import { displayWidth } from '../../server/shared/text';
import { ALL_CHECKS, report, signature } from './helpers/reports';
import { linesWiderThan, unwrapTable } from './helpers/table';
import { schemaErrors } from '../helpers/schema';

const batch = buildBatchReport(
  [
    report('CV-01.pdf', {
      unit: 'Phòng Tư pháp',
      register: { number: '01/UBND', date: '2024-11-05', summary: 'Về việc A', signer: 'Nguyễn Văn A' },
      findings: [batchFinding('REGISTER_DATE_MISMATCH', { register: '2024-11-05', signed: '2024-11-12' })],
    }),
    report('CV-02.pdf', {
      unit: 'Ủy ban nhân dân xã Vạn Thắng',
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, twoLayer: false, governmentCa: false },
      signatures: [signature({ ca: { category: 'public', provider: 'VNPT-CA', root: null } })],
      findings: [
        { code: 'NO_ORGANIZATION_SIGNATURE', severity: 'error', message: 'Thiếu chữ ký số của cơ quan, tổ chức', messageEn: 'No organization signature', signature: null },
        { code: 'NOT_WHOLE_FILE', severity: 'info', message: 'chi tiết', signature: 1 },
      ],
    }),
    report('CV-03.pdf', {
      unit: null,
      verdict: 'noncompliant',
      checks: { ...ALL_CHECKS, strongAlgorithms: false },
      findings: [],
    }),
  ],
  [batchFinding('ZIP_UNSAFE_PATH', { archive: 'a.zip', entry: '../evil.pdf' })],
  new Date('2024-11-30T01:02:03Z'),
);

describe('json', () => {
  test('is the report contract', () => {
    const errors = schemaErrors(JSON.parse(formatJson(batch)));
    expect(errors).toEqual([]);
  });

  // Awkward values: line breaks and quotes inside strings (JSON escapes them, so a line break in the text is always
  // structure), Vietnamese, empty arrays and objects nested in a document, a key whose value is undefined.
  const awkward: BatchReport = {
    ...batch,
    documents: [
      { ...batch.documents[0], file: 'Tờ trình "số 1"\r\nđính kèm\\.pdf', signatures: [] },
      { ...batch.documents[1], findings: [{ code: 'X', severity: 'info', message: 'dòng 1\ndòng 2', messageEn: '{"a": [1]}', signature: null }] },
    ],
    findings: undefined,
  };
  const shapes: [string, BatchReport][] = [
    ['a batch', batch],
    ['awkward values', awkward],
    ['no documents', { ...batch, documents: [] }],
    ['no findings key', (({ findings: _f, ...rest }) => rest)(batch)],
  ];

  test.each(shapes)('%s: the pieces are JSON.stringify\'s text, indented and compact', (_name, r) => {
    expect([...jsonPieces(r)].join('')).toBe(JSON.stringify(r, null, 2));
    expect([...jsonPieces(r, '')].join('')).toBe(JSON.stringify(r));
    expect(formatJson(r)).toBe(`${JSON.stringify(r, null, 2)}\n`);
  });

  test('no piece grows with the number of documents: a month does not have to fit in one string', () => {
    const many = (n: number): BatchReport => buildBatchReport(
      Array.from({ length: n }, (_, i) => report(`CV-${String(i).padStart(6, '0')}.pdf`, { unit: `Đơn vị ${i % 7}` })),
      [],
      new Date('2024-11-30T01:02:03Z'),
    );
    const longest = (r: BatchReport): number => Math.max(...[...jsonPieces(r)].map((p) => p.length));
    const small = many(10);
    const large = many(2_000);
    expect([...jsonPieces(large)].join('')).toBe(JSON.stringify(large, null, 2));
    // Every document's piece is the same size here; the summary (7 units) is the same in both.
    expect(longest(large)).toBe(longest(small));
    expect(longest(large)).toBeLessThan(JSON.stringify(large, null, 2).length / 100);
  });

  test('pieces are gathered into writes of about the size asked, and nothing is lost or reordered', () => {
    const batchedPieces = (pieces: string[], size: number): string[] => {
      const batcher = new PieceBatcher(size);
      const writes = pieces.map((p) => batcher.add(p)).filter((w): w is string => w !== null);
      const rest = batcher.rest();
      return rest === null ? writes : [...writes, rest];
    };
    const pieces = Array.from({ length: 1000 }, (_, i) => `<${i}:${'x'.repeat(i % 50)}>`);
    const writes = batchedPieces(pieces, 4096);
    expect(writes.join('')).toBe(pieces.join(''));
    expect(writes.length).toBeGreaterThan(5);
    // Each write but the last reached the size with its last piece, and was under it before that piece.
    for (const w of writes.slice(0, -1)) expect(w.length).toBeGreaterThanOrEqual(4096);
    for (const w of writes) expect(w.length).toBeLessThan(4096 + 60);
    expect(batchedPieces([], 10)).toEqual([]);
  });
});

describe('csv', () => {
  test('BOM, CRLF, `;` as Vietnamese Excel splits it, one row per document, parses back', () => {
    const csv = formatCsv(batch, 'vi');
    expect(csv.startsWith('\ufeffTệp;Đơn vị;')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows = parseCsv(csv, ';');
    expect(rows[0].slice(0, 4)).toEqual(['Tệp', 'Đơn vị', 'Số ký hiệu', 'Kết luận']);
    expect(rows).toHaveLength(4);
    const cv2 = rows.find((r) => r[0] === 'CV-02.pdf');
    expect(cv2).toBeDefined();
    expect(cv2?.[1]).toBe('Ủy ban nhân dân xã Vạn Thắng');
    expect(cv2?.[3]).toBe('Không đạt');
    expect(cv2?.[5]).toBe('không');
    expect(cv2?.[10]).toBe('VNPT-CA');
    expect(cv2?.[13]).toBe('Thiếu chữ ký số của cơ quan, tổ chức');
    // What to do, beside why: the catalog's remedy for the code, in the column after the reasons.
    expect(rows[0][14]).toBe('Cách khắc phục');
    expect(cv2?.[14]).toBe('Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại');
    expect(rows.find((r) => r[0] === 'CV-03.pdf')?.[1]).toBe('(không xác định)');
  });

  test('English headers and messages with --lang en, comma-separated', () => {
    const csv = formatCsv(batch, 'en');
    expect(csv.startsWith('\ufeffFile,Unit,')).toBe(true);
    const rows = parseCsv(csv, ',');
    expect(rows[0][0]).toBe('File');
    expect(rows.find((r) => r[0] === 'CV-02.pdf')?.[13]).toBe('No organization signature');
    expect(rows.find((r) => r[0] === 'CV-02.pdf')?.[14]).toBe("The clerk signs with the agency's certificate and issues the document again");
  });

  test('a chosen separator overrides the language; quoting follows the separator', () => {
    // The unit's name holds a comma, the signer's reason list a `; `: each is quoted only under its own separator.
    const commas = buildBatchReport([report('a.pdf', { unit: 'Phòng A, B' })], [], new Date(0));
    const semicolon = formatCsv(commas, 'vi', ';').split('\r\n')[1]!;
    expect(semicolon.startsWith('a.pdf;Phòng A, B;')).toBe(true);
    const comma = formatCsv(commas, 'vi', ',').split('\r\n')[1]!;
    expect(comma.startsWith('a.pdf,"Phòng A, B",')).toBe(true);
    const tab = formatCsv(commas, 'en', '\t');
    expect(tab.split('\r\n')[0]!.split('\t').slice(0, 3)).toEqual(['\ufeffFile', 'Unit', 'Number']);
    expect(tab.split('\r\n')[1]!.split('\t').slice(0, 2)).toEqual(['a.pdf', 'Phòng A, B']);
    // Every row has as many cells as the header, whichever the separator (a tab in a cell is shown escaped).
    for (const sep of [';', ','] as const) {
      const rows = parseCsv(formatCsv(batch, 'vi', sep), sep);
      expect(new Set(rows.map((r) => r.length))).toEqual(new Set([15]));
    }
    const tabRows = formatCsv(batch, 'vi', '\t').split('\r\n').filter((l) => l !== '');
    expect(new Set(tabRows.map((l) => l.split('\t').length))).toEqual(new Set([15]));
  });
});

describe('xlsx', () => {
  test('four sheets that read back, percentages as fractions shown with %', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await formatXlsx(batch, 'vi')) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Tổng hợp đơn vị', 'Văn bản', 'Chữ ký', 'Phát hiện']);
    const units = workbook.getWorksheet('Tổng hợp đơn vị');
    expect(units?.getRow(1).font?.bold).toBe(true);
    expect(units?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (units?.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['Đơn vị', 'Văn bản', 'Đã ký', '% Đã ký']);
    expect(header).toContain('VNPT-CA');
    const totalRow = units?.getRow(5);
    expect(totalRow?.getCell(1).value).toBe('Tổng cộng');
    expect(totalRow?.getCell(2).value).toBe(3);
    expect(totalRow?.getCell(10).value).toBe(0.333);
    expect(totalRow?.getCell(10).numFmt).toBe('0.0%');
    expect(workbook.getWorksheet('Văn bản')?.rowCount).toBe(4);
    expect(workbook.getWorksheet('Chữ ký')?.rowCount).toBe(1 + 2 + 1 + 2);
    const findings = workbook.getWorksheet('Phát hiện');
    expect(findings?.getRow(2).getCell(1).value).toBe('(toàn bộ lô)');
    expect(findings?.getRow(2).getCell(3).value).toBe('ZIP_UNSAFE_PATH');
    expect(findings?.getRow(2).getCell(4).value).toBe('cảnh báo');
    expect(workbook.getWorksheet('Chữ ký')?.getRow(2).getCell(5).value).toBe('cá nhân');
  });
});

describe('table', () => {
  test('unit summary first, aligned, then failing documents with reasons, then a total', () => {
    // Wide enough for the full headers and every unit name on one line.
    const text = unwrapTable(formatTable(batch, 'vi', 120));
    const lines = text.split('\n');
    expect(lines[0]).toContain('CA Chính phủ');
    expect(lines[0].startsWith('Đơn vị')).toBe(true);
    // Every row of the summary ends at the same column, whatever diacritics the unit names carry.
    const summary = lines.slice(0, lines.indexOf(''));
    const widths = summary.filter((l) => !l.startsWith('-')).map(displayWidth);
    expect(new Set(widths).size).toBe(1);
    expect(text).toContain('Ủy ban nhân dân xã Vạn Thắng');
    expect(text).toContain('(không xác định)');
    expect(text).toContain('33,3');
    // Why, then what to do about it, on the document's line.
    expect(text).toContain('✗ CV-02.pdf: Thiếu chữ ký số của cơ quan, tổ chức — Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại\n');
    expect(text).toContain('✗ CV-03.pdf: thuật toán yếu (SHA-1)');
    expect(text).not.toContain('✗ CV-01.pdf');
    // A compliant document with a register warning is listed apart, its verdict unchanged.
    expect(text).toContain('Cảnh báo (không ảnh hưởng kết luận):\n  ! 01/UBND (CV-01.pdf): Ngày ký số (12/11/2024) không khớp');
    expect(text).toContain('../evil.pdf');
    expect(lines.filter((l) => l).pop()).toBe('Tổng: 3 văn bản — 1 đạt (33,3%), 2 không đạt, 0 lỗi.');
  });

  test('a failing document is named by its số ký hiệu when the register has it, the file beside it', () => {
    const numbered = buildBatchReport(
      [
        report('ten-tep.pdf', {
          verdict: 'noncompliant',
          register: { number: '123/QĐ-UBND', date: '2024-11-05', summary: null, signer: null },
          findings: [{ code: 'NO_ORGANIZATION_SIGNATURE', severity: 'error', message: 'Thiếu chữ ký số của cơ quan.', signature: null }],
        }),
        report('khong-so.pdf', { verdict: 'noncompliant', findings: [{ code: 'NOT_SIGNED', severity: 'error', message: 'Chưa ký số.', signature: null }] }),
      ],
      [],
      new Date(0),
    );
    const text = unwrapTable(formatTable(numbered, 'vi', 200));
    expect(text).toContain('  ✗ 123/QĐ-UBND (ten-tep.pdf): Thiếu chữ ký số của cơ quan — Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại\n');
    expect(text).toContain('  ✗ khong-so.pdf: Chưa ký số — ');
  });

  describe.each([80, 120])('at %i columns', (width) => {
    const longUnit = 'Trung tâm Phục vụ hành chính công và Xúc tiến đầu tư tỉnh Khánh Hòa (cơ sở 2, Nha Trang)';
    const longReason = 'Chữ ký số #1: chứng thư số không tin cậy — không xây dựng được đường dẫn chứng thực tới CA gốc được tin cậy (chuỗi chứng thực dừng tại \'CA giả danh Ban Cơ yếu Chính phủ\', không phải CA gốc được tin cậy)';
    const longFile = 'van-ban-di/2024/11/quyet-dinh-phe-duyet-ke-hoach-chuyen-doi-so-nam-2025-cua-uy-ban-nhan-dan-tinh.pdf';
    const wide = buildBatchReport(
      [
        report(longFile, {
          unit: longUnit,
          verdict: 'noncompliant',
          register: { number: '1234/QĐ-UBND', date: '2024-11-05', summary: null, signer: null },
          findings: [
            { code: 'CA_UNTRUSTED', severity: 'error', message: longReason, signature: 1 },
            { code: 'NO_ORGANIZATION_SIGNATURE', severity: 'error', message: 'Thiếu chữ ký số của cơ quan, tổ chức.', signature: null },
          ],
        }),
        report('ok.pdf', { unit: 'Phòng Tư pháp' }),
      ],
      [batchFinding('REGISTER_ROW_WITHOUT_PDF', { what: 'thieu-tep-rat-dai-'.repeat(8) + '.pdf — 99/UBND', line: 12 })],
      new Date(0),
    );
    const text = formatTable(wide, 'vi', width);

    test('no line is wider than the terminal', () => {
      expect(linesWiderThan(text, width)).toEqual([]);
    });

    test('nothing is lost: the unit, the document, every reason and its remedy read whole once unwrapped', () => {
      // A word longer than a line (the file's path) is cut where the line ends: compared without the spacing.
      const squashed = (s: string): string => s.replace(/\s+/g, '');
      const whole = squashed(text);
      expect(whole).toContain(squashed(`✗ 1234/QĐ-UBND (${longFile}): ${longReason}; Thiếu chữ ký số của cơ quan, tổ chức — `));
      expect(whole).toContain(squashed('Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại'));
      expect(whole).toContain('thieu-tep-rat-dai-'.repeat(8));
      // The unit's name goes on over the lines of its column: its words, in order, none cut off with "…".
      const unitColumn = text.split('\n').filter((l) => !l.startsWith(' ') && !l.startsWith('-')).join(' ');
      for (const word of longUnit.split(' ')) expect(unitColumn).toContain(word);
      expect(text).not.toContain('…');
    });

    test('the headers abbreviate only when the full ones do not fit', () => {
      const header = text.split('\n')[0]!;
      if (width === 80) expect(header).toMatch(/Số VB +Đã ký +% +2 lớp +% +CA CP +% +Đạt +% +Lỗi$/);
      const narrow = formatTable(batch, 'en', 200).split('\n')[0]!;
      expect(narrow).toContain('Government CA');
    });
  });

  test('a width under 80 columns is taken as 80', () => {
    expect(formatTable(batch, 'vi', 20)).toBe(formatTable(batch, 'vi', 80));
  });

  test('decomposed diacritics count as one column', () => {
    expect(displayWidth('Vạn Ninh'.normalize('NFD'))).toBe(8);
  });

  test('English', () => {
    expect(formatTable(batch, 'en')).toContain('Total: 3 documents — 1 compliant (33.3%), 2 noncompliant, 0 errors.');
  });
});
