import type { PdfSignatureInfo, RevisionInfo } from '../pdf/types';

/**
 * Judges a signature's /ByteRange and /Contents against the file, as integrity requires: the range is
 * exactly [0 a b c], the gap [a, b) is exactly the /Contents hex string, and the signed bytes end at a revision's
 * end. Anything else is a forgery or a wrapping attack until proven otherwise, so every deviation is a problem.
 */

export interface ByteRangeProblem {
  code:
    | 'BYTERANGE_MISSING'
    | 'BYTERANGE_MALFORMED'
    | 'BYTERANGE_EMPTY'
    | 'BYTERANGE_BEYOND_EOF'
    | 'GAP_NOT_CONTENTS'
    | 'BYTERANGE_NOT_AT_REVISION_END'
    | 'CONTENTS_MISSING'
    | 'CONTENTS_EMPTY'
    | 'CONTENTS_NOT_HEX';
  detail: string;
  detailVi?: string;
}

export interface ByteRangeJudgement {
  problems: ByteRangeProblem[];
  /** The two ranges to hash, when they are well formed and inside the file (even if other problems exist). */
  ranges: [number, number][] | null;
  /** The signature covers every byte of the file but its own /Contents. */
  coversWholeFile: boolean;
}

const isOffset = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

export function judgeByteRange(sig: PdfSignatureInfo, fileSize: number, revisions: RevisionInfo[]): ByteRangeJudgement {
  const problems: ByteRangeProblem[] = [];
  let ranges: [number, number][] | null = null;

  const contents = sig.contents;
  if (contents === null) problems.push({ code: 'CONTENTS_MISSING', detail: '' });
  else if (contents.length === 0 || contents.every((b) => b === 0)) problems.push({ code: 'CONTENTS_EMPTY', detail: '' });
  else if (!sig.contentsIsHex) problems.push({ code: 'CONTENTS_NOT_HEX', detail: 'literal string', detailVi: 'chuỗi ký tự thường' });

  const br = sig.byteRange;
  if (br === null) {
    problems.push({ code: 'BYTERANGE_MISSING', detail: '' });
    return { problems, ranges, coversWholeFile: false };
  }
  if (br.length === 4 && br.every((n) => n === 0)) {
    problems.push({ code: 'BYTERANGE_EMPTY', detail: '[0 0 0 0]' });
    return { problems, ranges, coversWholeFile: false };
  }
  if (br.length !== 4 || !br.every(isOffset)) {
    problems.push({ code: 'BYTERANGE_MALFORMED', detail: `[${br.join(' ')}]` });
    return { problems, ranges, coversWholeFile: false };
  }
  const [start, a, b, c] = br as [number, number, number, number];
  if (start !== 0) problems.push({ code: 'BYTERANGE_MALFORMED', detail: `starts at ${start}, not 0`, detailVi: `bắt đầu tại ${start}, không phải 0` });
  if (a === 0 && c === 0) {
    problems.push({ code: 'BYTERANGE_EMPTY', detail: `[${br.join(' ')}]` });
    return { problems, ranges, coversWholeFile: false };
  }
  if (b <= a) {
    problems.push({ code: 'BYTERANGE_MALFORMED', detail: `second range starts at ${b}, not after ${a}`, detailVi: `đoạn thứ hai bắt đầu tại ${b}, không nằm sau ${a}` });
    return { problems, ranges, coversWholeFile: false };
  }
  if (b + c > fileSize) {
    problems.push({ code: 'BYTERANGE_BEYOND_EOF', detail: `${b + c} > ${fileSize}`, detailVi: `kết thúc tại byte ${b + c}, tệp chỉ có ${fileSize} byte` });
    return { problems, ranges, coversWholeFile: false };
  }
  ranges = [
    [start, a],
    [b, b + c],
  ];

  const span = sig.contentsSpan;
  if (span === null) {
    if (contents !== null) problems.push({ code: 'GAP_NOT_CONTENTS', detail: '/Contents is not a string written in place in the file', detailVi: '/Contents không phải chuỗi nằm trực tiếp trong tệp' });
  } else if (span.start !== a || span.end !== b) {
    problems.push({
      code: 'GAP_NOT_CONTENTS',
      detail: `gap [${a}, ${b}) but /Contents at [${span.start}, ${span.end})`,
      detailVi: `khoảng trống là byte [${a}, ${b}) nhưng /Contents nằm ở [${span.start}, ${span.end})`,
    });
  }

  const end = b + c;
  const atRevisionEnd = revisions.some((r) => end === r.end || end === r.eofOffset + 5);
  if (!atRevisionEnd || sig.revision === null) problems.push({ code: 'BYTERANGE_NOT_AT_REVISION_END', detail: `ends at ${end}`, detailVi: `kết thúc tại byte ${end}` });

  const coversWholeFile = problems.length === 0 && end === fileSize && start === 0;
  return { problems, ranges, coversWholeFile };
}
