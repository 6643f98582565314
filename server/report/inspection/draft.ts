import type { Finding, UnitSummary } from '../../../worker/report';
import { findingRemedy, findingText, t, type Lang } from '../../shared/messages';
import type { Outline, OutlineBlock, OutlineRun } from '../document/outline';
import type { ReportIssuer, WriterOptions } from '../format';
import { compareUnits, percentOf, type BatchSummary } from '../summary';
import { CRITERIA, type Criterion, type InspectionFacts, type UnitFacts } from './facts';
import { countPct, dayText, listText, momentText, periodText, placeDateText, say } from './words';
import { joinMessages, percentText, unitLabel } from '../describe';
import { baseName } from '../../shared/text';

/**
 * The inspection report drafted from the facts, modelled on the reports inspection teams write (Kết quả / Tồn tại,
 * hạn chế / Kiến nghị, then the list of documents) and laid out per Decree 30/2020, Phụ lục I. It is a DRAFT: the
 * parts a person must judge (the basis of the inspection, the shortcomings and the recommendations) are marked for
 * the inspection team to check and complete before the report is signed.
 */

export interface InspectionInput {
  facts: InspectionFacts;
  summary: BatchSummary;
  /** The batch's own findings (refused archive entries, register rows matching no file). */
  batchFindings: Finding[];
  options: WriterOptions;
}

/** Units drawn in the chart, at most: beyond that a chart is unreadable, so it shows the units doing worst. */
const CHART_UNITS = 40;
/** Batch findings listed in the appendix's note, at most. */
const BATCH_FINDINGS_LISTED = 50;
/** Remedies proposed per unit, at most: the most frequent reasons first. */
const REMEDIES_PER_UNIT = 3;

const TWO_LAYER_CODES = ['NO_PERSONAL_SIGNATURE', 'NO_ORGANIZATION_SIGNATURE', 'WRONG_SIGNING_ORDER'] as const;

function criterionName(c: Criterion, lang: Lang): string {
  switch (c) {
    case 'signed':
      return say(lang, 'Văn bản được ký số', 'Documents signed');
    case 'twoLayer':
      return say(lang, 'Ký số đủ 2 lớp (người có thẩm quyền, rồi cơ quan)', 'Two-layer signing (competent person, then agency)');
    case 'governmentCa':
      return say(lang, 'Dùng chứng thư số chuyên dùng Chính phủ', 'Government certificates used');
    case 'intact':
      return say(lang, 'Văn bản còn nguyên vẹn từ khi ký', 'Unchanged since signing');
    case 'certificatesValid':
      return say(lang, 'Chứng thư số còn hiệu lực khi ký', 'Certificates valid at signing');
  }
}

function para(text: string, indent = true): OutlineBlock {
  return { kind: 'paragraph', runs: [{ text }], indent, align: 'justify' };
}

function scopeText(input: InspectionInput, lang: Lang): string {
  const scope = input.options.scope ?? { kind: 'batch', label: null };
  if (scope.kind === 'period') return periodText(scope.from, scope.to, lang);
  return say(lang, `đợt kiểm tra ngày ${dayText(input.options.generatedAt.toISOString())}`, `the check of ${dayText(input.options.generatedAt.toISOString())}`);
}

function header(issuer: ReportIssuer, at: Date, lang: Lang): Outline['header'] {
  return {
    parentAgency: (issuer.parentAgency ?? '').toUpperCase(),
    agency: (issuer.agency ?? say(lang, 'Đoàn kiểm tra', 'Inspection team')).toUpperCase(),
    numberLine: say(lang, 'Số:        /BC-ĐKT', 'No.:        /BC-ĐKT'),
    nation: say(lang, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'SOCIALIST REPUBLIC OF VIETNAM'),
    motto: say(lang, 'Độc lập - Tự do - Hạnh phúc', 'Independence - Freedom - Happiness'),
    placeDate: placeDateText(issuer.place ?? null, at, lang),
  };
}

function introduction(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const totals = input.summary.totals;
  const units = input.summary.units.length;
  return [
    // Each legal basis on its own line, as an administrative document lists them.
    para(say(lang, 'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;', 'Under Decree 30/2020/ND-CP of 5 March 2020 on clerical work;')),
    para(say(lang, 'Căn cứ …………………… (kế hoạch, quyết định kiểm tra);', 'Under …………………… (the inspection plan or decision);')),
    para(
      say(
        lang,
        `Đoàn kiểm tra đã kiểm tra chữ ký số của ${totals.documents} văn bản đi của ${units} đơn vị, ${scopeText(input, lang)}. Mỗi chữ ký số được xác minh tới chứng thư số gốc được tin cậy; chứng thư số chuyên dùng Chính phủ (do Ban Cơ yếu Chính phủ cấp) được phân biệt với chứng thư số công cộng theo khóa công khai, không theo tên; việc ký số 2 lớp (chữ ký số của người có thẩm quyền, sau đó chữ ký số của cơ quan, tổ chức) và tính toàn vẹn của văn bản sau khi ký được kiểm tra trên từng văn bản. Kết quả như sau:`,
        `The inspection team checked the digital signatures of ${totals.documents} outgoing documents of ${units} units, ${scopeText(input, lang)}. Each signature was verified to a trusted root certificate; government certificates (issued by the Government Cipher Committee) were told from public ones by key, not by name; two-layer signing (the competent person's signature, then the agency's) and the document's integrity since signing were checked on every document. The results:`,
      ),
    ),
  ];
}

function criterionTotals(facts: InspectionFacts): Record<Criterion, number> {
  const sum = { signed: 0, twoLayer: 0, governmentCa: 0, intact: 0, certificatesValid: 0 } as Record<Criterion, number>;
  for (const u of facts.units) for (const c of CRITERIA) sum[c] += u.passed[c];
  return sum;
}

function overallResults(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const totals = input.summary.totals;
  const n = totals.documents;
  const passed = criterionTotals(input.facts);
  const errors = totals.errors ?? 0;
  const sentence = say(
    lang,
    `Trong ${n} văn bản được kiểm tra: ${countPct(passed.signed, n, lang)} được ký số; ${countPct(passed.twoLayer, n, lang)} ký số đủ 2 lớp; ${countPct(passed.governmentCa, n, lang)} ký bằng chứng thư số chuyên dùng Chính phủ; ${countPct(passed.intact, n, lang)} còn nguyên vẹn từ khi ký; ${countPct(passed.certificatesValid, n, lang)} có chứng thư số còn hiệu lực khi ký. Số văn bản đạt đủ các yêu cầu: ${countPct(totals.compliant, n, lang)}.`,
    `Of the ${n} documents checked: ${countPct(passed.signed, n, lang)} were signed; ${countPct(passed.twoLayer, n, lang)} carried both layers; ${countPct(passed.governmentCa, n, lang)} were signed with government certificates; ${countPct(passed.intact, n, lang)} were unchanged since signing; ${countPct(passed.certificatesValid, n, lang)} had certificates valid at signing. Documents meeting every requirement: ${countPct(totals.compliant, n, lang)}.`,
  );
  const blocks: OutlineBlock[] = [{ kind: 'heading', level: 2, text: say(lang, '1. Kết quả chung', '1. Overall results') }, para(sentence)];
  if (errors > 0) {
    blocks.push(para(say(lang, `${errors} tệp không đọc được hoặc không phải PDF hợp lệ; các tệp này được tính là chưa đạt.`, `${errors} files could not be read or are not valid PDFs; they count as not compliant.`)));
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: say(lang, 'Tiêu chí', 'Criterion'), width: 46, align: 'left' },
      { title: say(lang, 'Số văn bản đạt', 'Documents passing'), width: 18, align: 'right' },
      { title: say(lang, 'Tỷ lệ (%)', 'Rate (%)'), width: 14, align: 'right' },
      { title: say(lang, 'Không đạt', 'Failing'), width: 16, align: 'right' },
    ],
    rows: [
      ...CRITERIA.map((c) => [criterionName(c, lang), String(passed[c]), percentText(percentOf(passed[c], n), lang), String(n - passed[c])]),
      [say(lang, 'Đạt đủ các yêu cầu', 'Meeting every requirement'), String(totals.compliant), percentText(totals.compliantPct, lang), String(n - totals.compliant)],
    ],
    emphasis: [CRITERIA.length],
  });
  return blocks;
}

function unitRow(label: string, u: UnitSummary, f: UnitFacts | undefined, lang: Lang): string[] {
  const pct = (count: number): string => percentText(percentOf(count, u.documents), lang);
  return [
    label,
    String(u.documents),
    percentText(u.signedPct, lang),
    percentText(u.twoLayerPct, lang),
    percentText(u.governmentCaPct, lang),
    f ? pct(f.passed.intact) : '',
    f ? pct(f.passed.certificatesValid) : '',
    `${u.compliant} (${percentText(u.compliantPct, lang)})`,
  ];
}

function unitResults(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const byUnit = new Map(input.facts.units.map((f) => [f.unit, f]));
  const totals = criterionTotals(input.facts);
  const all: UnitFacts = { unit: null, documents: input.summary.totals.documents, passed: totals, publicProviders: new Map(), untrusted: 0, codes: new Map(), problems: { changed: 0, notSigned: 0, notTwoLayer: 0, invalidCertificate: 0 } };
  const rows = input.summary.units.map((u) => unitRow(unitLabel(u.unit, lang), u, byUnit.get(u.unit), lang));
  rows.push(unitRow(t(lang, 'totalRow'), input.summary.totals, all, lang));
  const blocks: OutlineBlock[] = [
    { kind: 'heading', level: 2, text: say(lang, '2. Kết quả theo đơn vị', '2. Results by unit') },
    {
      kind: 'table',
      columns: [
        { title: say(lang, 'Đơn vị', 'Unit'), width: 30, align: 'left' },
        { title: say(lang, 'Số VB', 'Docs'), width: 8, align: 'right' },
        { title: say(lang, 'Ký số (%)', 'Signed (%)'), width: 10, align: 'right' },
        { title: say(lang, '2 lớp (%)', 'Two-layer (%)'), width: 10, align: 'right' },
        { title: say(lang, 'CA Chính phủ (%)', 'Gov. CA (%)'), width: 11, align: 'right' },
        { title: say(lang, 'Toàn vẹn (%)', 'Intact (%)'), width: 10, align: 'right' },
        { title: say(lang, 'Hiệu lực (%)', 'Valid (%)'), width: 10, align: 'right' },
        { title: say(lang, 'Đạt (%)', 'Compliant (%)'), width: 13, align: 'right' },
      ],
      rows,
      emphasis: [rows.length - 1],
    },
  ];
  if (input.summary.units.length > 0) {
    // The units doing worst are the ones a reader must see: by compliance rate, then by size.
    const shown = [...input.summary.units]
      .sort((a, b) => a.compliantPct - b.compliantPct || b.documents - a.documents || compareUnits(a.unit, b.unit))
      .slice(0, CHART_UNITS)
      .sort((a, b) => compareUnits(a.unit, b.unit));
    const title =
      shown.length < input.summary.units.length
        ? say(lang, `Biểu đồ: tỷ lệ theo đơn vị (${shown.length} đơn vị có tỷ lệ đạt thấp nhất)`, `Chart: rates by unit (the ${shown.length} units with the lowest compliance)`)
        : say(lang, 'Biểu đồ: tỷ lệ theo đơn vị', 'Chart: rates by unit');
    blocks.push({
      kind: 'chart',
      title,
      series: [say(lang, 'Ký số 2 lớp', 'Two-layer'), say(lang, 'CA Chính phủ', 'Government CA'), say(lang, 'Đạt', 'Compliant')],
      bars: shown.map((u) => ({ label: unitLabel(u.unit, lang), values: [u.twoLayerPct, u.governmentCaPct, u.compliantPct] })),
    });
  }
  return blocks;
}

function sortedFacts(facts: InspectionFacts): UnitFacts[] {
  return [...facts.units].sort((a, b) => compareUnits(a.unit, b.unit));
}

function providersText(providers: Map<string, number>, lang: Lang): string {
  return [...providers.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'vi'))
    .map(([name, count]) => say(lang, `${name}: ${count} VB`, `${name}: ${count}`))
    .join('; ');
}

function commercialCas(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const units = sortedFacts(input.facts).filter((u) => u.publicProviders.size > 0 || u.untrusted > 0);
  const blocks: OutlineBlock[] = [{ kind: 'heading', level: 2, text: say(lang, '3. Đơn vị dùng chứng thư số công cộng hoặc không tin cậy', '3. Units signing with public or untrusted certificates') }];
  if (units.length === 0) {
    blocks.push(para(say(lang, 'Không có đơn vị nào dùng chứng thư số công cộng hoặc chứng thư số không tin cậy.', 'No unit signed with a public or untrusted certificate.')));
    return blocks;
  }
  const byProvider = new Map<string, number>();
  for (const u of units) for (const [p, c] of u.publicProviders) byProvider.set(p, (byProvider.get(p) ?? 0) + c);
  if (byProvider.size > 0) {
    blocks.push(para(say(lang, `Văn bản ký bằng chứng thư số công cộng, theo nhà cung cấp: ${providersText(byProvider, lang)}.`, `Documents signed with public certificates, by provider: ${providersText(byProvider, lang)}.`)));
  }
  blocks.push({
    kind: 'table',
    columns: [
      { title: say(lang, 'Đơn vị', 'Unit'), width: 34, align: 'left' },
      { title: say(lang, 'Số VB', 'Docs'), width: 9, align: 'right' },
      { title: say(lang, 'CA công cộng (số VB theo nhà cung cấp)', 'Public CA (documents by provider)'), width: 40, align: 'left' },
      { title: say(lang, 'Không tin cậy', 'Untrusted'), width: 13, align: 'right' },
    ],
    rows: units.map((u) => [unitLabel(u.unit, lang), String(u.documents), providersText(u.publicProviders, lang), String(u.untrusted)]),
  });
  return blocks;
}

function twoLayerGaps(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const units = sortedFacts(input.facts).filter((u) => u.passed.twoLayer < u.documents);
  const blocks: OutlineBlock[] = [{ kind: 'heading', level: 2, text: say(lang, '4. Đơn vị chưa ký số đủ 2 lớp', '4. Units not signing in two layers') }];
  if (units.length === 0) {
    blocks.push(para(say(lang, 'Tất cả văn bản được kiểm tra đều ký số đủ 2 lớp.', 'Every document checked carried both layers.')));
    return blocks;
  }
  const code = (u: UnitFacts, c: string): string => String(u.codes.get(c) ?? 0);
  blocks.push({
    kind: 'table',
    columns: [
      { title: say(lang, 'Đơn vị', 'Unit'), width: 32, align: 'left' },
      { title: say(lang, 'Số VB', 'Docs'), width: 8, align: 'right' },
      { title: say(lang, 'Chưa đủ 2 lớp', 'Not two-layer'), width: 13, align: 'right' },
      { title: say(lang, 'Chưa ký số', 'Not signed'), width: 11, align: 'right' },
      { title: say(lang, 'Thiếu chữ ký người có thẩm quyền', 'No competent person signature'), width: 13, align: 'right' },
      { title: say(lang, 'Thiếu chữ ký cơ quan', 'No agency signature'), width: 12, align: 'right' },
      { title: say(lang, 'Sai thứ tự ký', 'Wrong order'), width: 10, align: 'right' },
    ],
    rows: units.map((u) => [unitLabel(u.unit, lang), String(u.documents), String(u.documents - u.passed.twoLayer), String(u.problems.notSigned), ...TWO_LAYER_CODES.map((c) => code(u, c))]),
  });
  return blocks;
}

/** "A (3 VB), B (1 VB)": the units a shortcoming concerns, with how many documents each. */
function unitsWith(units: UnitFacts[], count: (u: UnitFacts) => number, lang: Lang): { text: string; documents: number; units: number } {
  const hit = units.filter((u) => count(u) > 0);
  const text = listText(hit.map((u) => say(lang, `${unitLabel(u.unit, lang)} (${count(u)} VB)`, `${unitLabel(u.unit, lang)} (${count(u)})`)), lang);
  return { text, documents: hit.reduce((s, u) => s + count(u), 0), units: hit.length };
}

function shortcomings(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const units = sortedFacts(input.facts);
  const items: OutlineRun[][] = [];
  const add = (count: (u: UnitFacts) => number, vi: (d: number, n: number, list: string) => string, en: (d: number, n: number, list: string) => string): void => {
    const w = unitsWith(units, count, lang);
    if (w.units > 0) items.push([{ text: say(lang, vi(w.documents, w.units, w.text), en(w.documents, w.units, w.text)) }]);
  };
  add(
    (u) => u.problems.changed,
    (d, n, l) => `${d} văn bản của ${n} đơn vị không còn nguyên vẹn (bị thay đổi sau khi ký hoặc chữ ký không khớp nội dung); đây là vi phạm nghiêm trọng, cần xác minh bản gốc: ${l}.`,
    (d, n, l) => `${d} documents of ${n} units are not intact (changed after signing, or the signature does not match the content); this is serious and the originals must be checked: ${l}.`,
  );
  add(
    (u) => u.problems.notSigned,
    (d, n, l) => `${d} văn bản của ${n} đơn vị chưa được ký số khi phát hành: ${l}.`,
    (d, n, l) => `${d} documents of ${n} units were issued without a digital signature: ${l}.`,
  );
  add(
    (u) => u.problems.notTwoLayer,
    (d, n, l) => `Còn ${n} đơn vị chưa ký số đủ 2 lớp khi phát hành văn bản đi (${d} văn bản): ${l}.`,
    (d, n, l) => `${n} units still issue documents without both signature layers (${d} documents): ${l}.`,
  );
  add(
    (u) => [...u.publicProviders.values()].reduce((s, c) => s + c, 0),
    (d, n, l) => `${n} đơn vị còn dùng chứng thư số công cộng của doanh nghiệp (VNPT, Viettel, …) thay cho chứng thư số chuyên dùng Chính phủ do Ban Cơ yếu Chính phủ cấp (${d} văn bản): ${l}.`,
    (d, n, l) => `${n} units still sign with commercial public certificates (VNPT, Viettel, …) instead of government certificates (${d} documents): ${l}.`,
  );
  add(
    (u) => u.untrusted,
    (d, n, l) => `${d} văn bản của ${n} đơn vị ký bằng chứng thư số không xác minh được tới chứng thư số gốc được tin cậy: ${l}.`,
    (d, n, l) => `${d} documents of ${n} units are signed with certificates that chain to no trusted root: ${l}.`,
  );
  add(
    (u) => u.problems.invalidCertificate,
    (d, n, l) => `${d} văn bản của ${n} đơn vị ký bằng chứng thư số hết hạn, bị thu hồi hoặc chưa có hiệu lực tại thời điểm ký: ${l}.`,
    (d, n, l) => `${d} documents of ${n} units are signed with certificates expired, revoked or not yet valid at signing: ${l}.`,
  );
  const errors = input.summary.totals.errors ?? 0;
  if (errors > 0) {
    items.push([{ text: say(lang, `${errors} tệp không đọc được hoặc không phải PDF hợp lệ (xem Phụ lục).`, `${errors} files could not be read or are not valid PDFs (see the appendix).`) }]);
  }
  const blocks: OutlineBlock[] = [
    { kind: 'heading', level: 1, text: say(lang, 'II. TỒN TẠI, HẠN CHẾ', 'II. SHORTCOMINGS') },
    { kind: 'note', text: say(lang, 'Dự thảo từ kết quả kiểm tra: Đoàn kiểm tra rà soát, bổ sung nguyên nhân trước khi ký ban hành.', 'Drafted from the results: the inspection team reviews it and adds the causes before signing.') },
  ];
  if (items.length === 0) blocks.push(para(say(lang, 'Không phát hiện tồn tại, hạn chế về ký số trong các văn bản được kiểm tra.', 'No shortcoming in digital signing was found in the documents checked.')));
  else blocks.push({ kind: 'bullets', items });
  return blocks;
}

function recommendations(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const items: OutlineRun[][] = [];
  for (const u of sortedFacts(input.facts)) {
    const remedies = [...u.codes.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([code]) => findingRemedy(code, lang))
      .filter((r): r is string => !!r);
    const distinct = [...new Set(remedies)].slice(0, REMEDIES_PER_UNIT);
    if (distinct.length === 0) continue;
    items.push([{ text: `${unitLabel(u.unit, lang)}: `, bold: true }, { text: `${joinMessages(distinct)}.` }]);
  }
  const anyPublic = input.facts.units.some((u) => u.publicProviders.size > 0);
  if (anyPublic) {
    items.push([
      {
        text: say(
          lang,
          'Các cơ quan, đơn vị sử dụng chứng thư số chuyên dùng Chính phủ của cơ quan và của cá nhân lãnh đạo được cấp để ký số văn bản đi; tiến tới không sử dụng chứng thư số công cộng của doanh nghiệp cho văn bản hành chính.',
          'Agencies sign outgoing documents with the government certificates issued to the agency and to its leaders, and stop using commercial public certificates for administrative documents.',
        ),
      },
    ]);
  }
  const blocks: OutlineBlock[] = [
    { kind: 'heading', level: 1, text: say(lang, 'III. KIẾN NGHỊ', 'III. RECOMMENDATIONS') },
    { kind: 'note', text: say(lang, 'Dự thảo theo từng đơn vị từ các lý do chưa đạt thường gặp nhất: Đoàn kiểm tra chỉnh sửa trước khi ký ban hành.', 'Drafted per unit from its most frequent reasons: the inspection team edits it before signing.') },
  ];
  if (items.length === 0) {
    blocks.push(para(say(lang, 'Đề nghị các cơ quan, đơn vị tiếp tục duy trì việc ký số văn bản đi đúng quy định.', 'Agencies should keep signing outgoing documents as the rules require.')));
    return blocks;
  }
  blocks.push(para(say(lang, 'Qua kiểm tra, Đoàn kiểm tra kiến nghị các cơ quan, đơn vị thực hiện, cụ thể:', 'The inspection team recommends, unit by unit:')));
  blocks.push({ kind: 'bullets', items });
  return blocks;
}

function appendix(input: InspectionInput, lang: Lang): OutlineBlock[] {
  const { appendix: rows, failing } = input.facts;
  const blocks: OutlineBlock[] = [
    { kind: 'heading', level: 1, text: say(lang, 'PHỤ LỤC', 'APPENDIX') },
    { kind: 'paragraph', runs: [{ text: say(lang, 'Danh sách văn bản chưa đạt yêu cầu', 'Documents not meeting the requirements'), bold: true }], align: 'center' },
    { kind: 'paragraph', runs: [{ text: say(lang, '(Kèm theo Báo cáo số        /BC-ĐKT)', '(Attached to report No.        /BC-ĐKT)'), italic: true }], align: 'center' },
  ];
  if (failing === 0) {
    blocks.push(para(say(lang, 'Không có văn bản chưa đạt.', 'No document fails.'), false));
  } else {
    blocks.push({
      kind: 'table',
      compact: true,
      columns: [
        { title: say(lang, 'STT', 'No.'), width: 6, align: 'right' },
        { title: say(lang, 'Số, ký hiệu (tên tệp)', 'Number (file)'), width: 19, align: 'left' },
        { title: say(lang, 'Ngày', 'Date'), width: 13, align: 'left' },
        { title: say(lang, 'Đơn vị', 'Unit'), width: 16, align: 'left' },
        { title: say(lang, 'Lý do chưa đạt — cách khắc phục', 'Why it fails — what to do'), width: 46, align: 'left' },
      ],
      // Grouped as an inspector reads them, unit by unit, each unit's documents by date.
      rows: [...rows]
        .sort((a, b) => compareUnits(a.unit, b.unit) || (a.date ?? '').localeCompare(b.date ?? '') || a.file.localeCompare(b.file, 'vi'))
        .map((r, i) => {
        const remedies = [...new Set(r.codes.map((c) => findingRemedy(c, lang)).filter((x): x is string => !!x))];
        const why = joinMessages(r.reasons);
        const what = remedies.length > 0 ? ` — ${joinMessages(remedies)}.` : '.';
        const file = baseName(r.file);
        return [String(i + 1), r.number ? `${r.number} (${file})` : file, dayText(r.date), unitLabel(r.unit, lang), `${why}${what}`];
      }),
    });
    if (failing > rows.length) {
      blocks.push(
        para(
          say(
            lang,
            `Phụ lục liệt kê ${rows.length} văn bản đầu tiên trong tổng số ${failing} văn bản chưa đạt; danh sách đầy đủ ở tệp XLSX của cùng đợt kiểm tra (kiemky check --format xlsx, hoặc nút tải XLSX trên trang của lô).`,
            `The appendix lists the first ${rows.length} of the ${failing} failing documents; the full list is in the XLSX of the same check (kiemky check --format xlsx, or the XLSX download on the batch page).`,
          ),
          false,
        ),
      );
    }
  }
  const notes = input.batchFindings.filter((f) => f.severity !== 'info');
  if (notes.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: say(lang, 'Ghi chú về hồ sơ được kiểm tra', 'Notes on the files checked') });
    const listed = notes.slice(0, BATCH_FINDINGS_LISTED).map((f): OutlineRun[] => [{ text: findingText(f, lang) }]);
    if (notes.length > listed.length) listed.push([{ text: say(lang, `… và ${notes.length - listed.length} ghi chú khác.`, `… and ${notes.length - listed.length} more.`) }]);
    blocks.push({ kind: 'bullets', items: listed });
  }
  return blocks;
}

/** The inspection report drafted: the one Outline the DOCX and the PDF lay out. */
export function inspectionOutline(input: InspectionInput): Outline {
  const lang = input.options.lang;
  const issuer = input.options.issuer ?? {};
  const at = input.options.generatedAt;
  const scope = scopeText(input, lang);
  const blocks: OutlineBlock[] = [
    ...introduction(input, lang),
    { kind: 'heading', level: 1, text: say(lang, 'I. KẾT QUẢ KIỂM TRA', 'I. RESULTS') },
    ...overallResults(input, lang),
    ...unitResults(input, lang),
    ...commercialCas(input, lang),
    ...twoLayerGaps(input, lang),
    ...shortcomings(input, lang),
    ...recommendations(input, lang),
    para(say(lang, `Trên đây là báo cáo kết quả kiểm tra việc ký số văn bản đi ${scope} của Đoàn kiểm tra./.`, `This is the inspection team's report on the digital signing of outgoing documents, ${scope}.`)),
  ];
  return {
    documentTitle: say(lang, `Báo cáo kết quả kiểm tra ký số văn bản đi, ${scope}`, `Inspection report on digital signing, ${scope}`),
    orientation: 'portrait',
    lang,
    header: header(issuer, at, lang),
    title: [say(lang, 'BÁO CÁO', 'REPORT'), say(lang, 'Kết quả kiểm tra việc ký số văn bản đi', 'Results of the inspection of digital signing of outgoing documents'), `(${scope})`],
    draftMark: say(lang, 'DỰ THẢO — do kiemky lập từ kết quả kiểm tra; Đoàn kiểm tra rà soát, chỉnh sửa trước khi ký ban hành', 'DRAFT — made by kiemky from the results; the inspection team reviews and edits it before signing'),
    blocks,
    annex: appendix(input, lang),
    closing: {
      recipientsTitle: say(lang, 'Nơi nhận:', 'To:'),
      recipients: [say(lang, '……………………;', '……………………;'), say(lang, 'Các cơ quan, đơn vị được kiểm tra;', 'The units inspected;'), say(lang, 'Lưu: VT, ĐKT.', 'File: VT, ĐKT.')],
      signerTitle: (issuer.signerTitle ?? say(lang, 'Trưởng đoàn', 'Head of the inspection team')).toUpperCase(),
      signerName: issuer.signerName ?? '……………………',
    },
    footer: say(lang, `Lập bằng kiemky lúc ${momentText(at)}`, `Made with kiemky at ${momentText(at)}`),
  };
}
