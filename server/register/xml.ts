/**
 * A streaming reader of the XML an XLSX is made of, fed text a chunk at a time, telling its sink of each element
 * opened and closed and of the text between. It knows what SpreadsheetML needs and no more: elements, attributes,
 * the five named entities and character references, comments, CDATA and processing instructions. A DOCTYPE is
 * refused (SpreadsheetML has none, and entity expansion is how an XML bomb works); no entity is ever defined, so
 * text never grows beyond what was read. Names are given without their namespace prefix (`x:row` is `row`).
 */

export interface XmlSink {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  /** Text content, entities decoded; one run of text may come in several pieces. */
  text(text: string): void;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

/** A tag or comment longer than this is not SpreadsheetML: refused rather than held. */
const MAX_PENDING = 1024 * 1024;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!text.includes('=')) return attributes;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(text); m !== null; m = ATTRIBUTE.exec(text)) attributes[localName(m[1])] = decodeEntities(m[2] ?? m[3] ?? '');
  return attributes;
}

export class XmlScanner {
  private pending = '';

  constructor(private readonly sink: XmlSink) {}

  push(chunk: string): void {
    const s = this.pending === '' ? chunk : this.pending + chunk;
    const i = this.scan(s);
    this.pending = s.slice(i);
    if (this.pending.length > MAX_PENDING) throw new XmlError('an XML tag or text too long to be SpreadsheetML');
  }

  end(): void {
    if (this.pending.trim() !== '') throw new XmlError('the XML ends inside a tag');
    this.pending = '';
  }

  /** Reads what it can of s; returns where the unread rest begins. */
  private scan(s: string): number {
    let i = 0;
    const n = s.length;
    while (i < n) {
      const lt = s.indexOf('<', i);
      if (lt < 0) return this.textUpTo(s, i, n, true);
      if (lt > i) this.textUpTo(s, i, lt, false);
      if (lt + 1 >= n) return lt;
      const next = s.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */) {
        const skipped = this.special(s, lt);
        if (skipped < 0) return lt;
        i = skipped;
        continue;
      }
      if (next === 0x3f /* ? */) {
        const close = s.indexOf('?>', lt + 2);
        if (close < 0) return lt;
        i = close + 2;
        continue;
      }
      // The tag ends at the first '>' outside a quoted attribute value.
      let j = lt + 1;
      let quote = 0;
      for (; j < n; j++) {
        const c = s.charCodeAt(j);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) {
          quote = c;
        } else if (c === 0x3e) {
          break;
        }
      }
      if (j >= n) return lt;
      this.tag(s.slice(lt + 1, j));
      i = j + 1;
    }
    return i;
  }

  /** Text from i to end; at the end of the chunk, a reference cut in two is kept for the next one. */
  private textUpTo(s: string, i: number, end: number, atChunkEnd: boolean): number {
    let stop = end;
    if (atChunkEnd) {
      const amp = s.lastIndexOf('&', end - 1);
      if (amp >= i && s.indexOf(';', amp) < 0 && end - amp < 12) stop = amp;
    }
    if (stop > i) this.sink.text(decodeEntities(s.slice(i, stop)));
    return stop;
  }

  /** `<!--…-->`, `<![CDATA[…]]>`; a DOCTYPE is refused. Returns where the markup ends, or -1 if not yet read. */
  private special(s: string, lt: number): number {
    if (s.startsWith('<!--', lt)) {
      const close = s.indexOf('-->', lt + 4);
      return close < 0 ? -1 : close + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const close = s.indexOf(']]>', lt + 9);
      if (close < 0) return -1;
      this.sink.text(s.slice(lt + 9, close));
      return close + 3;
    }
    if (s.length - lt < 9) return -1;
    throw new XmlError('a DOCTYPE or other declaration, which SpreadsheetML never has');
  }

  private tag(body: string): void {
    if (body.charCodeAt(0) === 0x2f /* / */) {
      this.sink.close(localName(body.slice(1).trim()));
      return;
    }
    const selfClosing = body.charCodeAt(body.length - 1) === 0x2f;
    const inner = selfClosing ? body.slice(0, -1) : body;
    const space = inner.search(/\s/);
    const name = localName(space < 0 ? inner : inner.slice(0, space));
    if (name === '') throw new XmlError('an XML tag without a name');
    this.sink.open(name, space < 0 ? {} : parseAttributes(inner.slice(space)));
    if (selfClosing) this.sink.close(name);
  }
}
