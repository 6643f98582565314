import { MESSAGES, finding, remedyFor, type FindingCode } from '../../worker/policy/messages';
import { BATCH_FINDINGS, findingRemedy } from '../../server/shared/messages';

/**
 * A finding a clerk cannot act on is half a finding: every code of both catalogs must say who does what, in both
 * languages, in words a clerk reads (no PDF internals).
 */

const workerCodes = Object.keys(MESSAGES);
const batchCodes = Object.keys(BATCH_FINDINGS);
const allCodes = [...workerCodes, ...batchCodes];

// Letters only Vietnamese writes (beyond ASCII): a remedy without them was written without diacritics.
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;
const PROGRAMMER_WORDS = [/\/[A-Z][A-Za-z]+/, /\bobj\b/, /xref/i, /0x[0-9a-f]+/i, /%%EOF/, /\boffset\b/i, /\bbyte\b/i, /[{}<>[\]]/, /\b[A-Z]+_[A-Z_]+\b/];

describe('remedies', () => {
  it('cover both catalogs, with no code in both', () => {
    expect(workerCodes.length).toBeGreaterThan(40);
    expect(batchCodes.length).toBeGreaterThan(10);
    expect(workerCodes.filter((c) => batchCodes.includes(c))).toEqual([]);
  });

  it.each(allCodes)('%s has a remedy in Vietnamese with diacritics and in English', (code) => {
    const vi = findingRemedy(code, 'vi');
    const en = findingRemedy(code, 'en');
    expect(vi?.trim()).toBeTruthy();
    expect(en?.trim()).toBeTruthy();
    expect(vi).toMatch(VIETNAMESE_LETTER);
    expect(en).not.toMatch(VIETNAMESE_LETTER);
    expect(vi).not.toEqual(en);
    // Short enough to stand beside the reason in a table cell.
    expect(vi!.length).toBeLessThan(260);
  });

  it.each(allCodes)('%s has a remedy without programmer words', (code) => {
    for (const text of [findingRemedy(code, 'vi')!, findingRemedy(code, 'en')!]) {
      for (const word of PROGRAMMER_WORDS) expect(text).not.toMatch(word);
    }
  });

  it('remedyFor answers the worker catalog only, findingRemedy both, and unknown codes with null', () => {
    expect(remedyFor('NO_ORGANIZATION_SIGNATURE')?.vi).toBe('Văn thư ký số bằng chứng thư số của cơ quan rồi phát hành lại.');
    expect(remedyFor('DOCUMENT_NOT_IN_REGISTER')).toBeNull();
    expect(findingRemedy('DOCUMENT_NOT_IN_REGISTER', 'vi')).toContain('sổ đăng ký');
    expect(findingRemedy('NOT_GOVERNMENT_CA', 'vi')).toContain('Ban Cơ yếu Chính phủ');
    expect(findingRemedy('NO_SUCH_CODE', 'vi')).toBeNull();
  });

  it.each(workerCodes)('%s keeps byte offsets, object numbers and PDF keys out of its message, in its detail', (code) => {
    const technical = 'obj 18 /ByteRange [0 1234 5678 90] at 0x1f';
    const f = finding(code as FindingCode, { revision: 2, signer: 1, count: 3, what: 'ghi đè nội dung trang (trang 1)', whatEn: 'page content overridden (page 1)', detail: technical, permission: 2, bytes: 17, fields: 'Sig1, Sig2', unit: 'UBND', provider: 'VNPT-CA' }, 1);
    for (const text of [f.message, f.messageEn!]) {
      expect(text).not.toContain('1234');
      for (const word of [/\/[A-Z][a-z]\w*/, /\bobj\b/, /xref/i, /%%EOF/, /DocMDP/]) expect(text).not.toMatch(word);
    }
    expect(f.detail).toContain(technical);
    // Stored with the finding, so the API's JSON and reports kept for years still say what to do.
    expect(f.remedy).toBe(MESSAGES[code as FindingCode].remedy.vi);
    expect(f.remedyEn).toBe(MESSAGES[code as FindingCode].remedy.en);
  });
});
