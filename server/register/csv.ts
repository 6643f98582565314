/**
 * RFC 4180 CSV as registers are exported: UTF-8 with or without BOM, CRLF or LF, `,` or `;` (Vietnamese-locale
 * Excel writes `;` because `,` is the decimal separator), quoted fields that may hold separators and newlines.
 */

/** The separator that occurs most, outside quotes, in the first lines (a title line may have none). */
export function detectSeparator(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < 20; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === ',') commas++;
    else if (c === ';') semicolons++;
    else if (c === '\n') lines++;
  }
  return semicolons > commas ? ';' : ',';
}

export function parseCsv(input: string, separator: ',' | ';' = detectSeparator(input)): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
    } else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      // A quote inside an unquoted field is kept as written: lenient, like Excel.
      field += c;
    }
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
