/**
 * `npm run bench:decoders`: what one decode costs with kiemky's hand-written decoders, with pkijs, and with asn1js's
 * raw BER tree alone, on the same DER: the figures behind keeping the hot path hand-written (README, "Dependencies").
 *
 * Inputs: the committed trust store's certificates (certs/) and the test PKI's CRL, plus a CMS SignedData from the
 * scenario "compliant-signature-timestamp" (signature, certificates, a timestamp token). Each decoder reads each
 * input `--rounds` times (default 2,000) after a warm-up. kiemky caches certificates and CRLs by their bytes; each
 * round gives it bytes it has not seen (one signature octet changed), so every round is a real decode. Its name
 * cache stays on, as in production, where the same issuer names recur in every document.
 *
 * Options: --rounds N.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { analyzePdf } from '../worker/pdf';
import { parseSignedDataContentInfo } from '../worker/cms/signed-data';
import { Certificate } from '../worker/pki/certificate';
import { CertificateList } from '../worker/pki/crl';
import { pemBlocks } from '../worker/pki/pem';
import { BufferSource } from '../worker/source';
import { loadTestPki } from '../samples/lib/test-pki';
import { SCENARIOS } from '../samples/scenarios';
import { log, ROOT, runMain } from './inputs';

type Decoder = (der: Buffer) => unknown;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(crt|cer|pem)$/i.test(e.name)) out.push(p);
  }
  return out;
}

/** Microseconds per decode: the median of 5 batches over all inputs, each input decoded `rounds / 5` times. */
function time(inputs: readonly Buffer[], decode: Decoder, rounds: number): number {
  // Distinct copies, so that no cache keyed by bytes or identity can answer instead of the decoder.
  const copies = inputs.map((b) => Array.from({ length: 8 }, () => Buffer.from(b)));
  for (let i = 0; i < 50; i++) for (const c of copies) decode(c[i % 8]!);
  const batches: number[] = [];
  const per = Math.max(1, Math.floor(rounds / 5));
  for (let b = 0; b < 5; b++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < per; i++) for (const c of copies) decode(c[i % 8]!);
    batches.push(Number(process.hrtime.bigint() - started) / 1000 / (per * inputs.length));
  }
  return batches.sort((a, b) => a - b)[2]!;
}

/** kiemky without its caches: the cache is keyed by SHA-256 of the bytes, so each decode is given bytes never seen. */
function uncached(decode: (der: Buffer) => unknown): Decoder {
  let n = 0;
  return (der) => {
    // The outer length covers the certificate; a trailing-byte-free copy with a changed signature octet is a new
    // key for the cache yet decodes the same way.
    const copy = Buffer.from(der);
    copy[copy.length - 1] = n++ & 0xff;
    return decode(copy);
  };
}

/**
 * The same for a SignedData: the certificates it carries are cached by their bytes too, so each decode gets a copy
 * in which the last octet of every certificate (a signature octet: it decodes the same) is new.
 */
function uncachedCms(sample: Buffer): Decoder {
  const ends = parseSignedDataContentInfo(sample).certificates.map((c) => sample.indexOf(c.der) + c.der.length - 1);
  let n = 0;
  return (der) => {
    const copy = Buffer.from(der);
    n++;
    for (const e of ends) copy[e] = n & 0xff;
    return parseSignedDataContentInfo(copy);
  };
}

const asn1Raw: Decoder = (der) => {
  const r = asn1js.fromBER(der, { maxNodes: 10_000_000 });
  if (r.offset === -1) throw new Error(r.result.error);
  return r.result;
};

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--rounds');
  const rounds = i >= 0 ? Number(argv[i + 1]) : 2000;
  if (!Number.isSafeInteger(rounds) || rounds < 5) throw new Error('--rounds needs an integer ≥ 5');

  const certs = walk(path.join(ROOT, 'certs')).flatMap((f) => pemBlocks(fs.readFileSync(f, 'latin1'), ['CERTIFICATE']).concat(fs.readFileSync(f, 'latin1').includes('-----BEGIN') ? [] : [fs.readFileSync(f)]));
  const pki = loadTestPki();
  const crl = [pki.govSubCrl];
  const scenario = SCENARIOS.find((s) => s.name === 'compliant-signature-timestamp');
  if (!scenario) throw new Error('scenario compliant-signature-timestamp is gone');
  const sig = analyzePdf(new BufferSource(scenario.build(pki))).structure.signatures[0]!;
  const cms = [parseSignedDataContentInfo(sig.contents!).encodedLength].map((len) => sig.contents!.subarray(0, len));

  const rows: [string, number, Decoder, Decoder, Decoder][] = [
    [`certificate (${certs.length} from certs/)`, certs.length, uncached((d) => Certificate.fromDer(d)), (d) => pkijs.Certificate.fromBER(d), asn1Raw],
    ['CRL (test PKI)', 1, uncached((d) => CertificateList.fromDer(d).entries()), (d) => pkijs.CertificateRevocationList.fromBER(d), asn1Raw],
    [
      'CMS SignedData with a timestamp',
      1,
      uncachedCms(cms[0]!),
      (d) => new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1Raw(d) as asn1js.Sequence }).content }),
      asn1Raw,
    ],
  ];
  const inputs = [certs, crl, cms];
  log(`decode, µs each (median of 5 batches, ${rounds} rounds)   kiemky   pkijs   asn1js raw   pkijs/kiemky`);
  rows.forEach(([name, , k, p, a], idx) => {
    const tk = time(inputs[idx]!, k, rounds);
    const tp = time(inputs[idx]!, p, rounds);
    const ta = time(inputs[idx]!, a, rounds);
    log(`${name.padEnd(52)} ${tk.toFixed(1).padStart(8)} ${tp.toFixed(1).padStart(7)} ${ta.toFixed(1).padStart(12)} ${(tp / tk).toFixed(1).padStart(12)}×`);
  });
  return 0;
}

runMain(main);
