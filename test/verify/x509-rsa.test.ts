import { PdfFile } from '../../samples/lib/pdf-reader';
import { dset, parseDict, serialize } from '../../samples/lib/pdf-syntax';
import { appendUpdate, locateSignatures } from '../../samples/lib/pdf-writer';
import { LEADER_AT, LEADER_FIELD, makeUnitDocument, signAgency, signLeader } from '../../samples/scenarios';
import { loadTestPki, type TestPki } from '../../samples/lib/test-pki';
import { signX509RsaSha1 } from '../../samples/lib/x509-rsa-builder';
import { Certificate } from '../../worker/pki/certificate';
import { emptyTrustStore } from '../../worker/pki/trust-store';
import type { TrustStore } from '../../worker/pki/types';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';

/**
 * adbe.x509.rsa_sha1 through the whole verification: /Cert read from the signed revision, its certificates
 * feeding the chain exactly as a CMS's do, the integrity and the weak digest judged as for any signature.
 */

const pki = loadTestPki();

/** Only the government test root: the sub-CA must come from the signature itself. */
function rootOnly(p: TestPki): TrustStore {
  const store = emptyTrustStore();
  store.anchors.push({ certificate: Certificate.fromDer(p.govRoot.cert), category: 'government', provider: null, file: 'root' });
  return store;
}

function leaderX509(cert: Buffer[] | undefined, o: { digest?: 'sha1' | 'sha256'; wrap?: boolean } = {}): Buffer {
  const u = pki.units[0]!;
  const doc = makeUnitDocument({ unit: 0, so: 901, date: LEADER_AT, seed: 901 }, u.name);
  const leader = signLeader(doc, u.leader, {
    field: { subFilter: 'adbe.x509.rsa_sha1', cert },
    sign: (b) => signX509RsaSha1(b, { signer: u.leader, ...o }),
  });
  return signAgency(leader, u.agency);
}

async function verify(pdf: Buffer, trust: TrustStore = rootOnly(pki)): Promise<DocumentReport> {
  return verifyDocument(new BufferSource(pdf), trust, { fileName: 'x509.pdf' });
}

describe('adbe.x509.rsa_sha1 in a document', () => {
  test('valid, weak, and its /Cert chain builds to the root as a CMS chain would', async () => {
    const r = await verify(leaderX509([pki.units[0]!.leader.cert, pki.govSub.cert]));
    const [leader, agency] = r.signatures;
    expect(leader).toMatchObject({
      subFilter: 'adbe.x509.rsa_sha1',
      integrity: 'valid',
      certificate: 'valid',
      digestAlgorithm: 'SHA-1',
      signatureAlgorithm: 'RSA with SHA-1',
      weakAlgorithm: true,
      signingTimeSource: 'M',
    });
    expect(leader!.ca.category).toBe('government');
    expect(leader!.signer?.kind).toBe('personal');
    expect(agency).toMatchObject({ integrity: 'valid', weakAlgorithm: false });
    expect(r.checks).toMatchObject({ signed: true, twoLayer: true, intact: true, strongAlgorithms: false, certificatesValid: true });
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['WEAK_ALGORITHM', 'SIGNING_TIME_FROM_M']));
  });

  test('without the sub-CA in /Cert the chain does not build: untrusted, integrity still valid', async () => {
    const r = await verify(leaderX509([pki.units[0]!.leader.cert]));
    expect(r.signatures[0]).toMatchObject({ integrity: 'valid', certificate: 'untrusted' });
  });

  test('a SHA-256 DigestInfo in the bare form: valid and strong', async () => {
    const r = await verify(leaderX509([pki.units[0]!.leader.cert, pki.govSub.cert], { digest: 'sha256', wrap: false }));
    expect(r.signatures[0]).toMatchObject({ integrity: 'valid', certificate: 'valid', digestAlgorithm: 'SHA-256', weakAlgorithm: false });
    expect(r.checks.strongAlgorithms).toBe(true);
  });

  test('one signed byte changed: invalid', async () => {
    const pdf = leaderX509([pki.units[0]!.leader.cert, pki.govSub.cert]);
    const at = pdf.indexOf(Buffer.from('(So: 901/', 'latin1'));
    expect(at).toBeGreaterThan(0);
    const changed = Buffer.from(pdf);
    changed[at + 6] = '8'.charCodeAt(0);
    const r = await verify(changed);
    expect(r.signatures.map((s) => s.integrity)).toEqual(['invalid', 'invalid']);
    expect(r.findings.map((f) => f.code)).toContain('MESSAGE_DIGEST_MISMATCH');
  });

  test('no /Cert, or an empty one: invalid, the signer not found', async () => {
    for (const cert of [undefined, []]) {
      const r = await verify(leaderX509(cert));
      expect(r.signatures[0]?.integrity).toBe('invalid');
      expect(r.findings.map((f) => f.code)).toContain('SIGNER_NOT_FOUND');
    }
  });

  test('a /Cert written over the signed dictionary later is not read: the signer stays the one that signed', async () => {
    const pdf = leaderX509([pki.units[0]!.leader.cert, pki.govSub.cert]);
    const loc = locateSignatures(pdf).find((l) => l.field === LEADER_FIELD)!;
    const sd = parseDict(new PdfFile(pdf).get(loc.sigNum!)?.text ?? '');
    dset(sd, 'Cert', { t: 'str', raw: `<${pki.units[1]!.leader.cert.toString('hex')}>` });
    const r = await verify(appendUpdate(pdf, [{ num: loc.sigNum!, body: serialize(sd) }]));
    expect(r.signatures[0]).toMatchObject({ integrity: 'valid', certificate: 'valid' });
    expect(r.signatures[0]?.signer?.fingerprintSha256).toBe(Certificate.fromDer(pki.units[0]!.leader.cert).fingerprintSha256);
    expect(r.findings.map((f) => f.code)).toContain('SIGNATURE_DICTIONARY_MODIFIED');
  });
});
