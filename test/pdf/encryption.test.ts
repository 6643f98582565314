import * as crypto from 'node:crypto';
import { BufferSource } from '../../worker/source';
import { analyzePdf, PdfDict, PdfString } from '../../worker/pdf';
import { rc4 } from '../../worker/pdf/rc4';
import { hardenedHash } from '../../worker/pdf/security';
import { PdfBuilder } from './builder';

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const O = Buffer.alloc(32, 7); // any owner entry: only the user password (empty) is used to open

function md5(...parts: Buffer[]): Buffer {
  const h = crypto.createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** File key and /U for revision 3/4 with the empty user password. */
function legacyKey(r: number, keyBytes: number, p: number): { key: Buffer; u: Buffer } {
  const pb = Buffer.alloc(4);
  pb.writeInt32LE(p);
  let key = md5(PAD, O, pb, ID);
  for (let i = 0; i < 50; i++) key = md5(key.subarray(0, keyBytes));
  key = key.subarray(0, keyBytes);
  let x = rc4(key, md5(PAD, ID));
  for (let i = 1; i <= 19; i++) x = rc4(Buffer.from(key.map((b) => b ^ i)), x);
  void r;
  return { key, u: Buffer.concat([x, Buffer.alloc(16)]) };
}

function objectKey(key: Buffer, num: number, aes: boolean): Buffer {
  const extra = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, 0, 0]);
  return md5(key, extra, aes ? Buffer.from('sAlT') : Buffer.alloc(0)).subarray(0, Math.min(key.length + 5, 16));
}

function aesEncrypt(key: Buffer, data: Buffer): Buffer {
  const iv = crypto.randomBytes(16);
  const c = crypto.createCipheriv(key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc', key, iv);
  return Buffer.concat([iv, c.update(data), c.final()]);
}

function build(encryptDict: string, encryptString: (num: number, data: Buffer) => Buffer): Buffer {
  const b = new PdfBuilder();
  const hex = (num: number, s: string): string => `<${encryptString(num, Buffer.from(s, 'latin1')).toString('hex')}>`;
  b.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [10 0 R] >> >>');
  b.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
  b.obj(4, `<< /Title ${hex(4, 'Secret title')} >>`);
  b.obj(10, `<< /T ${hex(10, 'sig1')} /FT /Sig /V 20 0 R >>`);
  // /Contents of a signature dictionary is never encrypted; /Reason is.
  b.obj(20, `<< /Type /Sig /ByteRange [0 1 2 3] /Contents <abcdef> /Reason ${hex(20, 'Approved')} >>`);
  b.obj(9, encryptDict);
  b.xrefTable(`/Size 21 /Root 1 0 R /Info 4 0 R /Encrypt 9 0 R /ID [<${ID.toString('hex')}> <${ID.toString('hex')}>]`);
  return b.toBuffer();
}

function check(buf: Buffer, v: number, r: number): void {
  const { doc, structure } = analyzePdf(new BufferSource(buf));
  expect(structure.encryption).toEqual({ filter: 'Standard', subFilter: null, v, r, decrypted: true });
  const info = doc.resolve(doc.trailer().get('Info'));
  expect(info instanceof PdfDict && (info.get('Title') as PdfString).bytes.toString()).toBe('Secret title');
  const [sig] = structure.signatures;
  expect(sig.fieldNames).toEqual(['sig1']);
  expect(sig.reason).toBe('Approved');
  expect(sig.contents).toEqual(Buffer.from('abcdef', 'hex'));
}

describe('Standard security handler, empty user password', () => {
  it('RC4 128-bit (V2 R3)', () => {
    const { key, u } = legacyKey(3, 16, -4);
    const buf = build(
      `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${O.toString('hex')}> /U <${u.toString('hex')}> >>`,
      (num, data) => rc4(objectKey(key, num, false), data),
    );
    check(buf, 2, 3);
  });

  it('AES-128 (V4 R4, AESV2)', () => {
    const { key, u } = legacyKey(4, 16, -4);
    const buf = build(
      `<< /Filter /Standard /V 4 /R 4 /Length 128 /P -4 /O <${O.toString('hex')}> /U <${u.toString('hex')}> /CF << /StdCF << /CFM /AESV2 /Length 16 >> >> /StmF /StdCF /StrF /StdCF >>`,
      (num, data) => aesEncrypt(objectKey(key, num, true), data),
    );
    check(buf, 4, 4);
  });

  it('AES-256 (V5 R6, AESV3)', () => {
    const fileKey = crypto.randomBytes(32);
    const validationSalt = crypto.randomBytes(8);
    const keySalt = crypto.randomBytes(8);
    const empty = Buffer.alloc(0);
    const u = Buffer.concat([hardenedHash(empty, validationSalt, empty), validationSalt, keySalt]);
    const c = crypto.createCipheriv('aes-256-cbc', hardenedHash(empty, keySalt, empty), Buffer.alloc(16));
    c.setAutoPadding(false);
    const ue = Buffer.concat([c.update(fileKey), c.final()]);
    const buf = build(
      `<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <${Buffer.alloc(48).toString('hex')}> /U <${u.toString('hex')}> /UE <${ue.toString('hex')}> /OE <${Buffer.alloc(32).toString('hex')}> /Perms <${Buffer.alloc(16).toString('hex')}> /CF << /StdCF << /CFM /AESV3 /Length 32 >> >> /StmF /StdCF /StrF /StdCF >>`,
      (_num, data) => aesEncrypt(fileKey, data),
    );
    check(buf, 5, 6);
  });

  it('reports, without decrypting, a handler it cannot open', () => {
    const buf = build('<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 5 >>', (_n, d) => d);
    const { structure } = analyzePdf(new BufferSource(buf));
    expect(structure.encryption).toEqual({ filter: 'Adobe.PubSec', subFilter: 'adbe.pkcs7.s5', v: 5, r: null, decrypted: false });
    expect(structure.warnings.map((w) => w.code)).toContain('ENCRYPTED');
  });
});
