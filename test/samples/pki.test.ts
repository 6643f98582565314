/**
 * The test PKI and the CMS / timestamp / revocation builders produce what the sample PDFs
 * need: certificates that chain, DNs as specified, CMS that openssl and node:crypto accept,
 * and negative switches that really break what they claim to break.
 */
import { X509Certificate, createHash, createPublicKey, verify as cryptoVerify, constants, type KeyObject } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { children, decodeInt, decodeOid, readTlv, toPem, type Tlv } from '../../samples/lib/der';
import * as der from '../../samples/lib/der';
import { OID, documentTimestamp, signDetached, signPkcs7Sha1, timestampToken } from '../../samples/lib/cms-pkijs';
import { certFields } from '../../samples/lib/pki-x509';
import { signX509RsaSha1 } from '../../samples/lib/x509-rsa-builder';
import { pkijsRevocation, type RevocationEncoders } from '../../samples/lib/revocation-pkijs';
import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { generateTestPki, loadTestPki, makeCertificate, writeTrustStore, type TestIdentity, type TestPki } from '../../samples/lib/test-pki';

const pki: TestPki = loadTestPki();
// The certificates, CRLs and OCSP responses these tests make come from pkijs, as the committed ones do.
let revocation: RevocationEncoders;
beforeAll(async () => {
  revocation = await pkijsRevocation();
  await pkijsCertificates();
});
const makeCrl: RevocationEncoders['makeCrl'] = (...a) => revocation.makeCrl(...a);
const makeOcspResponse: RevocationEncoders['makeOcspResponse'] = (...a) => revocation.makeOcspResponse(...a);
const data = Buffer.from('%PDF-1.7 … the ByteRange bytes of a sample document …', 'utf8');
const at = new Date('2025-11-03T02:00:00Z');

const x509 = (t: TestIdentity | Buffer): X509Certificate => new X509Certificate(Buffer.isBuffer(t) ? t : t.cert);
const pub = (t: TestIdentity): KeyObject => createPublicKey(t.key);
const sha = (h: string, b: Buffer): Buffer => createHash(h).update(b).digest();
const subjectLines = (t: TestIdentity): string[] => x509(t).subject.split('\n');

// ---- minimal CMS reads, independent of the builder's internals ---------------------------------

interface ParsedSignerInfo {
  version: bigint;
  sid: Tlv;
  digestOid: string;
  signedAttrs?: Tlv;
  sigAlg: Tlv;
  signature: Buffer;
  unsignedAttrs?: Tlv;
}

interface ParsedCms {
  contentType: string;
  version: bigint;
  eContentType: string;
  eContent?: Buffer;
  certs: Buffer[];
  crls: Buffer[];
  signer: ParsedSignerInfo;
}

function parseCms(buf: Buffer): ParsedCms {
  const ci = children(readTlv(buf));
  const sd = children(children(ci[1])[0]);
  const encap = children(sd[2]);
  let i = 3;
  let certs: Buffer[] = [];
  let crls: Buffer[] = [];
  if (sd[i].tag === 0xa0) certs = children(sd[i++]).map((c) => Buffer.from(c.der));
  if (sd[i].tag === 0xa1) crls = children(sd[i++]).map((c) => Buffer.from(c.der));
  const sis = children(sd[i]);
  expect(sis).toHaveLength(1);
  const si = children(sis[0]);
  let j = 3;
  const signedAttrs = si[j].tag === 0xa0 ? si[j++] : undefined;
  const sigAlg = si[j++];
  const signature = si[j++].content;
  const unsignedAttrs = si[j]?.tag === 0xa1 ? si[j] : undefined;
  return {
    contentType: decodeOid(ci[0].content),
    version: decodeInt(sd[0].content),
    eContentType: decodeOid(encap[0].content),
    eContent: encap[1] ? children(encap[1])[0].content : undefined,
    certs,
    crls,
    signer: {
      version: decodeInt(si[0].content),
      sid: si[1],
      digestOid: decodeOid(children(si[2])[0].content),
      signedAttrs,
      sigAlg,
      signature,
      unsignedAttrs,
    },
  };
}

/** Attribute OID → its values. */
function attrs(node: Tlv | undefined): Map<string, Tlv[]> {
  const m = new Map<string, Tlv[]>();
  if (!node) return m;
  for (const a of children(node)) {
    const [t, vals] = children(a);
    m.set(decodeOid(t.content), children(vals));
  }
  return m;
}

/** The DER that was signed: the [0] IMPLICIT signed attributes re-tagged as SET (0x31). */
/** The first SignerInfo's digestAlgorithm, as its elements (OID, then parameters if any). */
function signerDigestAlg(cms: Buffer): Tlv[] {
  const sd = children(children(children(readTlv(cms))[1])[0]);
  const si = children(children(sd[sd.length - 1])[0]);
  return children(si[2]);
}

function signedAttrsAsSet(si: ParsedSignerInfo): Buffer {
  const b = Buffer.from(si.signedAttrs!.der);
  b[0] = 0x31;
  return b;
}

function verifyRsaPkcs1(key: KeyObject, h: string, signed: Buffer, sig: Buffer): boolean {
  return cryptoVerify(h, signed, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
}

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-pki-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---- certificates -----------------------------------------------------------------------------

describe('test PKI certificates', () => {
  const issuerOf = (t: TestIdentity): X509Certificate => x509(t.chain.length > 0 ? t.chain[0] : t.cert);

  test('every certificate verifies against its issuer and checkIssued holds', () => {
    expect(pki.all.length).toBeGreaterThanOrEqual(25);
    for (const t of pki.all) {
      const c = x509(t);
      const issuer = issuerOf(t);
      expect({ id: t.id, ok: c.verify(issuer.publicKey) }).toEqual({ id: t.id, ok: true });
      expect({ id: t.id, ok: c.checkIssued(issuer) }).toEqual({ id: t.id, ok: true });
      // The key on disk belongs to the certificate.
      expect({ id: t.id, ok: c.checkPrivateKey(t.key) }).toEqual({ id: t.id, ok: true });
      // Chains end at a self-signed root.
      const root = x509(t.chain.length > 0 ? t.chain[t.chain.length - 1] : t.cert);
      expect(root.verify(root.publicKey)).toBe(true);
    }
  });

  test('government hierarchy mimics BCY G2', () => {
    expect(subjectLines(pki.govRoot)).toEqual(['C=VN', 'O=Ban Cơ yếu Chính phủ (THỬ NGHIỆM)', 'CN=RootCA chuyên dùng Chính phủ TEST']);
    expect(subjectLines(pki.govSub)).toContain('CN=CA phục vụ các cơ quan Nhà nước TEST');
    expect(x509(pki.govRoot).ca).toBe(true);
    const sub = certFields(pki.govSub.cert);
    expect(sub.extensions.get('2.5.29.19')).toEqual({ critical: true, value: der.seq(der.bool(true), der.int(0)) });
    expect(x509(pki.govSub).infoAccess).toBeUndefined();
    expect(sub.extensions.get('2.5.29.32')!.value.equals(der.seq(der.seq(der.oid('2.16.704.1.1.1.1.1'))))).toBe(true);
    expect(x509(pki.govRoot).validFrom).toMatch(/2018/);
    expect(x509(pki.govRoot).validTo).toMatch(/2048/);

    const tsa = certFields(pki.govTsa.cert);
    expect(tsa.extensions.get('2.5.29.37')).toEqual({ critical: true, value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')) });
    expect(pki.govTsa.chain[0].equals(pki.govRoot.cert)).toBe(true);
  });

  test('units: personal leader and organisation agency certificates', () => {
    expect(pki.units.map((u) => u.name)).toEqual([
      'Văn phòng HĐND và UBND huyện Vạn Ninh',
      'Phòng Văn hóa và Thông tin huyện Vạn Ninh',
      'UBND xã Vạn Thắng',
      'Phòng Tài chính - Kế hoạch huyện Vạn Ninh',
    ]);
    for (const u of pki.units) {
      const leader = subjectLines(u.leader);
      expect(leader[0]).toBe('C=VN');
      expect(leader).toContain('O=ỦY BAN NHÂN DÂN HUYỆN VẠN NINH');
      expect(leader).toContain(`OU=${u.name}`);
      const email = leader.find((l) => l.startsWith('emailAddress='));
      expect(email).toMatch(/@vanninh\.khanhhoa\.gov\.vn$/);
      expect(x509(u.leader).subjectAltName).toBe(`email:${email!.slice('emailAddress='.length)}`);
      expect(x509(u.leader).ca).toBe(false);
      expect(x509(u.leader).keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4']));
      const cn = leader.find((l) => l.startsWith('CN='))!;
      expect(cn).not.toBe(`CN=${u.name}`);
      expect(/[\u00C0-\u1EF9]/.test(cn)).toBe(true); // diacritics survive as UTF-8

      const agency = subjectLines(u.agency);
      expect(agency).toEqual([`CN=${u.name}`, 'O=ỦY BAN NHÂN DÂN HUYỆN VẠN NINH', 'L=Khánh Hòa', 'C=VN']);
      expect(u.leader.chain[0].equals(pki.govSub.cert)).toBe(true);
      expect(u.agency.chain.map((c) => x509(c).subject)).toEqual([x509(pki.govSub).subject, x509(pki.govRoot).subject]);
    }
  });

  test('public CA hierarchy and UID conventions', () => {
    expect(subjectLines(pki.publicRoot)).toContain('CN=Vietnam National Root CA TEST');
    expect(subjectLines(pki.publicSubs['VNPT-CA'])).toContain('CN=VNPT-CA TEST');
    expect(subjectLines(pki.publicSubs['Viettel-CA'])).toContain('CN=Viettel-CA TEST');
    expect(subjectLines(pki.publicPersonal)).toContain('UID=CCCD:079012345678');
    expect(subjectLines(pki.publicOrg)).toEqual(expect.arrayContaining([`CN=${pki.units[2].name}`, 'UID=MST:4201234567']));
    expect(pki.publicOrg.chain[0].equals(pki.publicSubs['VNPT-CA'].cert)).toBe(true);
    expect(pki.publicOrgViettel.chain[0].equals(pki.publicSubs['Viettel-CA'].cert)).toBe(true);
    const acting = subjectLines(pki.actingForOrg);
    expect(acting.filter((l) => l.startsWith('UID='))).toEqual(['UID=MST:4201234567', 'UID=CCCD:079087654321']);
    for (const t of [pki.publicPersonal, pki.publicOrg, pki.publicOrgViettel, pki.actingForOrg]) {
      expect(t.chain[t.chain.length - 1].equals(pki.publicRoot.cert)).toBe(true);
    }
  });

  test('every CA name says TEST / THỬ NGHIỆM', () => {
    for (const t of pki.all.filter((x) => x509(x).ca || x.id === 'notCaSub' || x.id === 'govTsa')) {
      expect({ id: t.id, subject: x509(t).subject }).toEqual({ id: t.id, subject: expect.stringMatching(/TEST|THỬ NGHIỆM/) });
    }
  });

  test('look-alikes copy DN bytes exactly but do not chain to the test roots', () => {
    expect(certFields(pki.lookalikeRoot.cert).subjectName.equals(certFields(pki.govRoot.cert).subjectName)).toBe(true);
    expect(certFields(pki.lookalikeSub.cert).subjectName.equals(certFields(pki.govSub.cert).subjectName)).toBe(true);
    expect(certFields(pki.lookalikeAgency.cert).subjectName.equals(certFields(pki.units[0].agency.cert).subjectName)).toBe(true);
    expect(certFields(pki.lookalikeAgency.cert).issuerName.equals(certFields(pki.units[0].agency.cert).issuerName)).toBe(true);
    expect(x509(pki.lookalikeRoot).publicKey.equals(x509(pki.govRoot).publicKey)).toBe(false);
    expect(x509(pki.lookalikeSub).verify(x509(pki.govRoot).publicKey)).toBe(false);
    expect(x509(pki.lookalikeAgency).verify(x509(pki.govSub).publicKey)).toBe(false);
  });

  test('validity, revocation, algorithm and chain negatives', () => {
    expect(new Date(x509(pki.expiredLeader).validTo).getUTCFullYear()).toBe(2022);
    expect(new Date(x509(pki.expiredLeader).validFrom).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(new Date(x509(pki.notYetValidLeader).validFrom).getUTCFullYear()).toBe(2030);
    expect(new Date(x509(pki.notYetValidLeader).validTo).getUTCFullYear()).toBe(2035);
    for (const u of pki.units) {
      const c = x509(u.leader);
      expect(new Date(c.validFrom) <= new Date('2025-01-01') && new Date(c.validTo) >= new Date('2026-12-31')).toBe(true);
    }
    expect(pki.revokedLeaderDate.toISOString()).toBe('2025-06-01T00:00:00.000Z');

    const sigAlgOid = (t: TestIdentity): string => decodeOid(children(children(readTlv(t.cert))[1])[0].content);
    expect(sigAlgOid(pki.sha1Leader)).toBe('1.2.840.113549.1.1.5');
    expect(sigAlgOid(pki.units[0].leader)).toBe('1.2.840.113549.1.1.11');
    expect(x509(pki.ecLeader).publicKey.asymmetricKeyType).toBe('ec');
    expect(x509(pki.ecLeader).publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

    expect(certFields(pki.notCaSub.cert).extensions.has('2.5.29.19')).toBe(false);
    expect(x509(pki.notCaSub).ca).toBe(false);
    expect(pki.badChainLeader.chain[0].equals(pki.notCaSub.cert)).toBe(true);
    expect(pki.badChainLeader.chain[1].equals(pki.govRoot.cert)).toBe(true);
  });

  test.each([
    ['makeCertificate', makeCertificate],
    ['issueWithPkijs', issueWithPkijs],
  ])('%s: key types, explicit serial, repeated attributes, self-signed', (_, makeCertificate) => {
    for (const keyType of ['ec-p384', 'ed25519'] as const) {
      const t = makeCertificate({ subject: { CN: `Khóa ${keyType} TEST`, OU: ['A', 'B'] }, issuer: pki.govSub, keyType, serial: 4242n, notBefore: at, notAfter: new Date('2051-01-01T00:00:00Z') });
      const c = x509(t);
      expect(c.verify(x509(pki.govSub).publicKey)).toBe(true);
      expect(c.serialNumber).toBe('1092');
      expect(c.subject.split('\n')).toEqual([`CN=Khóa ${keyType} TEST`, 'OU=A', 'OU=B']);
      expect(c.validTo).toMatch(/2051/); // GeneralizedTime from 2050 on
      expect(t.chain).toHaveLength(2);
    }
    const self = makeCertificate({ subject: [['CN', 'Tự ký TEST']], keyType: 'ec-p256', notBefore: at, notAfter: at, ca: true, id: 'self' });
    expect(self.id).toBe('self');
    expect(self.chain).toEqual([]);
    expect(x509(self).verify(x509(self).publicKey)).toBe(true);
  });
});

// ---- revocation -------------------------------------------------------------------------------

describe('revocation builder', () => {
  test('govSubCrl is signed by govSub and revokes revokedLeader on 2025-06-01', () => {
    const [tbs, sigAlg, sig] = children(readTlv(pki.govSubCrl));
    expect(decodeOid(children(sigAlg)[0].content)).toBe('1.2.840.113549.1.1.11');
    expect(verifyRsaPkcs1(x509(pki.govSub).publicKey, 'sha256', tbs.der, sig.content.subarray(1))).toBe(true);
    expect(verifyRsaPkcs1(x509(pki.govRoot).publicKey, 'sha256', tbs.der, sig.content.subarray(1))).toBe(false);
    const f = children(tbs);
    expect(decodeInt(f[0].content)).toBe(1n); // v2
    expect(f[2].der.equals(certFields(pki.govSub.cert).subjectName)).toBe(true);
    expect(f[3].content.toString('latin1')).toBe('250602000000Z');
    const entries = children(f[5]);
    expect(entries).toHaveLength(1);
    const [serial, date] = children(entries[0]);
    expect(decodeInt(serial.content)).toBe(certFields(pki.revokedLeader.cert).serial);
    expect(date.content.toString('latin1')).toBe('250601000000Z');
    expect(pki.govRootCrl.length).toBeGreaterThan(0);
  });

  test('empty CRL omits revokedCertificates', () => {
    const crl = makeCrl(pki.publicSubs['VNPT-CA'], [], { thisUpdate: at, nextUpdate: new Date('2026-01-01T00:00:00Z') });
    const f = children(children(readTlv(crl))[0]);
    expect(f[5].tag).toBe(0xa0); // straight to crlExtensions
  });

  (hasOpenssl ? test : test.skip)('openssl accepts the CRL and the OCSP response', () => {
    fs.writeFileSync(path.join(tmp, 'root.pem'), toPem(pki.govRoot.cert, 'CERTIFICATE'));
    fs.writeFileSync(path.join(tmp, 'sub.pem'), toPem(pki.govSub.cert, 'CERTIFICATE'));
    fs.writeFileSync(path.join(tmp, 'revoked.pem'), toPem(pki.revokedLeader.cert, 'CERTIFICATE'));
    fs.writeFileSync(path.join(tmp, 'crl.pem'), toPem(pki.govSubCrl, 'X509 CRL'));
    const r = spawnSync('openssl', ['verify', '-crl_check', '-attime', String(Date.parse('2025-07-01') / 1000), '-CAfile', path.join(tmp, 'root.pem'), '-untrusted', path.join(tmp, 'sub.pem'), '-CRLfile', path.join(tmp, 'crl.pem'), path.join(tmp, 'revoked.pem')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/certificate revoked/);

    const ocsp = makeOcspResponse(pki.govSub, { cert: pki.revokedLeader.cert, status: 'revoked', revokedAt: pki.revokedLeaderDate, producedAt: at });
    fs.writeFileSync(path.join(tmp, 'ocsp.der'), ocsp);
    const o = spawnSync('openssl', ['ocsp', '-respin', path.join(tmp, 'ocsp.der'), '-issuer', path.join(tmp, 'sub.pem'), '-cert', path.join(tmp, 'revoked.pem'), '-CAfile', path.join(tmp, 'root.pem'), '-VAfile', path.join(tmp, 'sub.pem'), '-no_nonce'], { encoding: 'utf8' });
    expect(o.stderr).toMatch(/Response verify OK/);
    expect(o.stdout).toMatch(/revoked/);
  });

  test('OCSP response: structure, delegated responder signature', () => {
    const responder = issueWithPkijs({ subject: { CN: 'OCSP TEST', O: 'Ban Cơ yếu Chính phủ (THỬ NGHIỆM)', C: 'VN' }, issuer: pki.govSub, notBefore: at, notAfter: new Date('2030-01-01T00:00:00Z'), extKeyUsage: ['ocspSigning'] });
    const resp = makeOcspResponse(pki.govSub, { cert: pki.units[0].leader.cert, status: 'good', producedAt: at, responder });
    const [status, bytes] = children(readTlv(resp));
    expect(decodeInt(status.content)).toBe(0n);
    const [type, octs] = children(children(bytes)[0]);
    expect(decodeOid(type.content)).toBe('1.3.6.1.5.5.7.48.1.1');
    const [tbs, , sig, certs] = children(readTlv(octs.content));
    expect(verifyRsaPkcs1(pub(responder), 'sha256', tbs.der, sig.content.subarray(1))).toBe(true);
    expect(children(children(certs)[0])[0].der.equals(responder.cert)).toBe(true);
    const single = children(children(children(tbs)[2])[0]);
    expect(single[1].der.equals(Buffer.from([0x80, 0x00]))).toBe(true);
    expect(decodeInt(children(single[0])[3].content)).toBe(certFields(pki.units[0].leader.cert).serial);
  });
});

// ---- CMS -------------------------------------------------------------------------------------

describe('CMS builder', () => {
  const leader = pki.units[0].leader;

  test('signDetached: structure, messageDigest, signed attributes and signature', () => {
    const cms = signDetached(data, { signer: leader, signingTime: at });
    const p = parseCms(cms);
    expect(p.contentType).toBe(OID.signedData);
    expect(p.version).toBe(1n);
    expect(p.eContentType).toBe(OID.data);
    expect(p.eContent).toBeUndefined(); // detached
    // Signer plus the sub-CA, not the root.
    expect(p.certs.map((c) => x509(c).subject)).toEqual(expect.arrayContaining([x509(leader).subject, x509(pki.govSub).subject]));
    expect(p.certs).toHaveLength(2);
    expect(p.signer.version).toBe(1n);
    expect(p.signer.digestOid).toBe('2.16.840.1.101.3.4.2.1');

    const a = attrs(p.signer.signedAttrs);
    expect([...a.keys()].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingTime, OID.signingCertificateV2].sort());
    expect(decodeOid(a.get(OID.contentType)![0].content)).toBe(OID.data);
    expect(a.get(OID.messageDigest)![0].content.equals(sha('sha256', data))).toBe(true);
    expect(a.get(OID.signingTime)![0].tag).toBe(0x17); // UTCTime
    expect(a.get(OID.signingTime)![0].content.toString('latin1')).toBe('251103020000Z');
    // ESSCertIDv2: certHash = SHA-256(signer cert), issuerSerial = signer's issuer + serial.
    const essId = children(children(a.get(OID.signingCertificateV2)![0])[0])[0];
    const [certHash, issuerSerial] = children(essId);
    expect(certHash.content.equals(sha('sha256', leader.cert))).toBe(true);
    const [gn, serial] = children(issuerSerial);
    expect(children(children(gn)[0])[0].der.equals(certFields(leader.cert).issuerName)).toBe(true);
    expect(decodeInt(serial.content)).toBe(certFields(leader.cert).serial);

    // SET OF attributes in DER order.
    const encs = children(p.signer.signedAttrs!).map((t) => Buffer.from(t.der));
    expect(encs).toEqual([...encs].sort(Buffer.compare));
    // Signature over the SET (0x31) re-encoding of the signed attributes.
    expect(verifyRsaPkcs1(pub(leader), 'sha256', signedAttrsAsSet(p.signer), p.signer.signature)).toBe(true);
    expect(decodeOid(children(p.signer.sigAlg)[0].content)).toBe('1.2.840.113549.1.1.11');
  });

  (hasOpenssl ? test : test.skip)('openssl cms -verify accepts signDetached variants and rejects tampered ones', () => {
    fs.writeFileSync(path.join(tmp, 'data.bin'), data);
    fs.writeFileSync(path.join(tmp, 'root.pem'), toPem(pki.govRoot.cert, 'CERTIFICATE'));
    const run = (name: string, cms: Buffer, chain: boolean): boolean => {
      const f = path.join(tmp, `${name}.p7s`);
      fs.writeFileSync(f, cms);
      const trust = chain ? ['-CAfile', path.join(tmp, 'root.pem'), '-purpose', 'any'] : ['-noverify'];
      const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', f, '-content', path.join(tmp, 'data.bin'), ...trust, '-out', os.devNull], { encoding: 'utf8' });
      return r.status === 0;
    };
    const ts = { tsa: pki.govTsa, genTime: at };
    expect(run('plain', signDetached(data, { signer: leader }), true)).toBe(true);
    expect(run('pss', signDetached(data, { signer: leader, scheme: 'pss', digest: 'sha384' }), true)).toBe(true);
    expect(run('ec', signDetached(data, { signer: pki.ecLeader, digest: 'sha512' }), true)).toBe(true);
    expect(run('agency-ts', signDetached(data, { signer: pki.units[1].agency, timestamp: ts, crls: [pki.govSubCrl], signingTime: null }), true)).toBe(true);
    expect(run('ski', signDetached(data, { signer: leader, sid: 'ski' }), true)).toBe(true);
    expect(run('noattrs', signDetached(data, { signer: leader, signedAttributes: false }), true)).toBe(true);
    expect(run('public', signDetached(data, { signer: pki.publicOrg }), false)).toBe(true);
    expect(run('tamper-sig', signDetached(data, { signer: leader, tamper: 'signature' }), false)).toBe(false);
    expect(run('tamper-md', signDetached(data, { signer: leader, tamper: 'messageDigest' }), false)).toBe(false);
    expect(run('other-data', signDetached(Buffer.concat([data, Buffer.from('x')]), { signer: leader }), false)).toBe(false);

    // adbe.pkcs7.sha1: encapsulated SHA-1 of the bytes.
    const f = path.join(tmp, 'p7sha1.p7s');
    fs.writeFileSync(f, signPkcs7Sha1(data, { signer: leader }));
    const out = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', f, '-noverify'], { stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.equals(sha('sha1', data))).toBe(true);

    // Document timestamp: openssl ts checks imprint and the TSA chain.
    const tf = path.join(tmp, 'doc.tst');
    fs.writeFileSync(tf, documentTimestamp(data, ts));
    const r = spawnSync('openssl', ['ts', '-verify', '-in', tf, '-token_in', '-data', path.join(tmp, 'data.bin'), '-CAfile', path.join(tmp, 'root.pem')], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/Verification: OK/);
  });

  test('RSA-PSS: full parameters and a valid signature', () => {
    const p = parseCms(signDetached(data, { signer: leader, scheme: 'pss', digest: 'sha384' }));
    const [alg, params] = children(p.signer.sigAlg);
    expect(decodeOid(alg.content)).toBe('1.2.840.113549.1.1.10');
    const [h, mgf, salt] = children(params);
    expect(decodeOid(children(children(h)[0])[0].content)).toBe('2.16.840.1.101.3.4.2.2');
    const mgfAlg = children(children(mgf)[0]);
    expect(decodeOid(mgfAlg[0].content)).toBe('1.2.840.113549.1.1.8');
    expect(decodeOid(children(mgfAlg[1])[0].content)).toBe('2.16.840.1.101.3.4.2.2');
    expect(decodeInt(children(salt)[0].content)).toBe(48n);
    const ok = cryptoVerify('sha384', signedAttrsAsSet(p.signer), { key: pub(leader), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, p.signer.signature);
    expect(ok).toBe(true);
    expect(attrs(p.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(sha('sha384', data))).toBe(true);
  });

  test('ECDSA: ecdsa-with-SHA256 and a valid DER signature', () => {
    const p = parseCms(signDetached(data, { signer: pki.ecLeader }));
    expect(children(p.signer.sigAlg)).toHaveLength(1); // no parameters
    expect(decodeOid(children(p.signer.sigAlg)[0].content)).toBe('1.2.840.10045.4.3.2');
    expect(cryptoVerify('sha256', signedAttrsAsSet(p.signer), { key: pub(pki.ecLeader), dsaEncoding: 'der' }, p.signer.signature)).toBe(true);
  });

  test('Ed448: id-shake256 (no parameters) or id-shake256-len, messageDigest at that length, pure EdDSA over the attributes', () => {
    const ed = pki.ed448Leader;
    expect(x509(ed).publicKey.asymmetricKeyType).toBe('ed448');
    const shake = (bits: number, b: Buffer): Buffer => createHash('shake256', { outputLength: bits / 8 }).update(b).digest();
    const p = parseCms(signDetached(data, { signer: ed }));
    expect(p.signer.digestOid).toBe('2.16.840.1.101.3.4.2.12');
    expect(signerDigestAlg(signDetached(data, { signer: ed }))).toHaveLength(1); // id-shake256: no parameters
    expect(decodeOid(children(p.signer.sigAlg)[0].content)).toBe('1.3.101.113');
    expect(attrs(p.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(shake(512, data))).toBe(true);
    expect(cryptoVerify(null, signedAttrsAsSet(p.signer), pub(ed), p.signer.signature)).toBe(true);
    const lenCms = signDetached(data, { signer: ed, shake256OutputBits: 256 });
    const len = parseCms(lenCms);
    expect(len.signer.digestOid).toBe('2.16.840.1.101.3.4.2.18');
    expect(decodeInt(signerDigestAlg(lenCms)[1]!.content)).toBe(256n);
    expect(attrs(len.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(shake(256, data))).toBe(true);
  });

  test('plain ECDSA: the BSI OID and r‖s at twice the field size; the tamper widens both halves', () => {
    const p = parseCms(signDetached(data, { signer: pki.ecLeader, ecdsa: 'plain' }));
    expect(decodeOid(children(p.signer.sigAlg)[0].content)).toBe('0.4.0.127.0.7.1.1.4.1.3');
    expect(p.signer.signature.length).toBe(64);
    expect(cryptoVerify('sha256', signedAttrsAsSet(p.signer), { key: pub(pki.ecLeader), dsaEncoding: 'ieee-p1363' }, p.signer.signature)).toBe(true);
    const wide = parseCms(signDetached(data, { signer: pki.ecLeader, ecdsa: 'plain', tamper: 'plainRsLength' }));
    expect(wide.signer.signature.length).toBe(66);
    expect(wide.signer.signature[0]).toBe(0);
    expect(wide.signer.signature[33]).toBe(0);
  });

  test('encapsulate: a detached signature carrying eContent, its messageDigest still over the signed bytes', () => {
    const p = parseCms(signDetached(data, { signer: leader, encapsulate: Buffer.from('other content') }));
    expect(p.eContent?.toString('latin1')).toBe('other content');
    expect(attrs(p.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(sha('sha256', data))).toBe(true);
  });

  test('adbe.x509.rsa_sha1: an OCTET STRING (or the bare value) holding PKCS#1 v1.5 over a SHA-1 DigestInfo', () => {
    const wrapped = readTlv(signX509RsaSha1(data, { signer: leader }));
    expect(wrapped.tag).toBe(0x04);
    expect(verifyRsaPkcs1(pub(leader), 'sha1', data, wrapped.content)).toBe(true);
    const bare = signX509RsaSha1(data, { signer: leader, wrap: false });
    expect(bare.length).toBe(256);
    expect(verifyRsaPkcs1(pub(leader), 'sha1', data, bare)).toBe(true);
    expect(verifyRsaPkcs1(pub(leader), 'sha256', data, signX509RsaSha1(data, { signer: leader, digest: 'sha256', wrap: false }))).toBe(true);
    // A DigestInfo of one's choosing is signed as given.
    const custom = signX509RsaSha1(data, { signer: leader, wrap: false, digestInfo: (d) => Buffer.concat([Buffer.from('3021300906052b0e03021a05000414', 'hex'), d]) });
    expect(custom.equals(bare)).toBe(true);
  });

  test('signature timestamp: imprint is the hash of the signature value; token verifies', () => {
    const cms = signDetached(data, { signer: leader, timestamp: { tsa: pki.govTsa, genTime: at }, signingTime: null });
    const p = parseCms(cms);
    expect(attrs(p.signer.signedAttrs).has(OID.signingTime)).toBe(false);
    const tokenNode = attrs(p.signer.unsignedAttrs).get(OID.signatureTimeStampToken)![0];
    const tok = parseCms(Buffer.from(tokenNode.der));
    expect(tok.version).toBe(3n);
    expect(tok.eContentType).toBe(OID.tstInfo);
    const tst = children(readTlv(tok.eContent!));
    expect(decodeInt(tst[0].content)).toBe(1n);
    const [imprintAlg, imprint] = children(tst[2]);
    expect(decodeOid(children(imprintAlg)[0].content)).toBe('2.16.840.1.101.3.4.2.1');
    expect(imprint.content.equals(sha('sha256', p.signer.signature))).toBe(true);
    expect(tst[4].tag).toBe(0x18);
    expect(tst[4].content.toString('latin1')).toBe('20251103020000Z');

    const ta = attrs(tok.signer.signedAttrs);
    expect(decodeOid(ta.get(OID.contentType)![0].content)).toBe(OID.tstInfo);
    expect(ta.get(OID.messageDigest)![0].content.equals(sha('sha256', tok.eContent!))).toBe(true);
    const essId = children(children(ta.get(OID.signingCertificateV2)![0])[0])[0];
    expect(children(essId)[0].content.equals(sha('sha256', pki.govTsa.cert))).toBe(true);
    expect(verifyRsaPkcs1(pub(pki.govTsa), 'sha256', signedAttrsAsSet(tok.signer), tok.signer.signature)).toBe(true);
    expect(tok.certs.some((c) => c.equals(pki.govTsa.cert))).toBe(true);
  });

  test('timestampToken: imprint digest follows the option', () => {
    const tok = parseCms(timestampToken(data, { tsa: pki.govTsa, genTime: at, digest: 'sha512' }));
    const [alg, imprint] = children(children(readTlv(tok.eContent!))[2]);
    expect(decodeOid(children(alg)[0].content)).toBe('2.16.840.1.101.3.4.2.3');
    expect(imprint.content.equals(sha('sha512', data))).toBe(true);
    // Same request, same token (deterministic serial, PKCS#1 v1.5).
    expect(timestampToken(data, { tsa: pki.govTsa, genTime: at }).equals(documentTimestamp(data, { tsa: pki.govTsa, genTime: at }))).toBe(true);
  });

  test('tamper options break exactly what they claim', () => {
    const sigT = parseCms(signDetached(data, { signer: leader, tamper: 'signature', signingTime: at }));
    expect(attrs(sigT.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(sha('sha256', data))).toBe(true);
    expect(verifyRsaPkcs1(pub(leader), 'sha256', signedAttrsAsSet(sigT.signer), sigT.signer.signature)).toBe(false);

    const mdT = parseCms(signDetached(data, { signer: leader, tamper: 'messageDigest', signingTime: at }));
    expect(attrs(mdT.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(sha('sha256', data))).toBe(false);
    expect(verifyRsaPkcs1(pub(leader), 'sha256', signedAttrsAsSet(mdT.signer), mdT.signer.signature)).toBe(true);
  });

  test('options: no signed attributes, SKI sid, no certificates, foreign signingCertificate, revocation archival', () => {
    const none = parseCms(signDetached(data, { signer: leader, signedAttributes: false }));
    expect(none.signer.signedAttrs).toBeUndefined();
    expect(verifyRsaPkcs1(pub(leader), 'sha256', data, none.signer.signature)).toBe(true);

    const ski = parseCms(signDetached(data, { signer: leader, sid: 'ski' }));
    expect(ski.version).toBe(3n);
    expect(ski.signer.version).toBe(3n);
    expect(ski.signer.sid.tag).toBe(0x80);
    expect(ski.signer.sid.content.equals(certFields(leader.cert).subjectKeyId!)).toBe(true);

    const bare = parseCms(signDetached(data, { signer: leader, embedCertificates: false }));
    expect(bare.certs).toEqual([]);
    const full = parseCms(signDetached(data, { signer: leader, chain: [pki.govSub.cert, pki.govRoot.cert] }));
    expect(full.certs).toHaveLength(3);

    const foreign = parseCms(signDetached(data, { signer: leader, signingCertificateOf: pki.units[1].leader.cert }));
    const essId = children(children(attrs(foreign.signer.signedAttrs).get(OID.signingCertificateV2)![0])[0])[0];
    expect(children(essId)[0].content.equals(sha('sha256', pki.units[1].leader.cert))).toBe(true);
    expect(attrs(parseCms(signDetached(data, { signer: leader, signingCertificateV2: false })).signer.signedAttrs).has(OID.signingCertificateV2)).toBe(false);

    const ocsp = makeOcspResponse(pki.govSub, { cert: leader.cert, status: 'good', producedAt: at });
    const rev = parseCms(signDetached(data, { signer: leader, crls: [pki.govSubCrl], ocsps: [ocsp], signedDataCrls: [pki.govRootCrl] }));
    const archival = children(attrs(rev.signer.signedAttrs).get(OID.adbeRevocationInfoArchival)![0]);
    expect(archival.map((t) => t.tag)).toEqual([0xa0, 0xa1]);
    expect(children(children(archival[0])[0])[0].der.equals(pki.govSubCrl)).toBe(true);
    expect(children(children(archival[1])[0])[0].der.equals(ocsp)).toBe(true);
    expect(rev.crls).toHaveLength(1);
    expect(rev.crls[0].equals(pki.govRootCrl)).toBe(true);
  });

  test('signPkcs7Sha1: eContent is SHA-1 of the bytes, messageDigest covers it', () => {
    const p = parseCms(signPkcs7Sha1(data, { signer: leader }));
    expect(p.eContent!.equals(sha('sha1', data))).toBe(true);
    expect(p.signer.digestOid).toBe('1.3.14.3.2.26');
    expect(attrs(p.signer.signedAttrs).get(OID.messageDigest)![0].content.equals(sha('sha1', p.eContent!))).toBe(true);
    expect(verifyRsaPkcs1(pub(leader), 'sha1', signedAttrsAsSet(p.signer), p.signer.signature)).toBe(true);
  });
});

// ---- DER encoder ---------------------------------------------------------------------------

describe('der', () => {
  test('integers, OIDs, times, tagging, set ordering', () => {
    expect(der.int(0).toString('hex')).toBe('020100');
    expect(der.int(127).toString('hex')).toBe('02017f');
    expect(der.int(128).toString('hex')).toBe('02020080');
    expect(der.int(-129).toString('hex')).toBe('0202ff7f');
    expect(der.int(-128).toString('hex')).toBe('020180');
    expect(der.int(Buffer.from([0x00, 0x00, 0xff])).toString('hex')).toBe('020200ff');
    expect(decodeInt(der.int(-129).subarray(2))).toBe(-129n);
    expect(der.oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(decodeOid(der.oid('2.25.329800735698586629295641978511506172918').subarray(2))).toBe('2.25.329800735698586629295641978511506172918');
    expect(der.time(new Date('2049-12-31T23:59:59Z'))[0]).toBe(0x17);
    expect(der.time(new Date('2050-01-01T00:00:00Z')).subarray(2).toString()).toBe('20500101000000Z');
    expect(der.implicit(0, der.setOf([der.int(1)]))[0]).toBe(0xa0);
    expect(der.implicit(1, der.octets(Buffer.from([1])))[0]).toBe(0x81);
    expect(der.explicit(3, der.nul()).toString('hex')).toBe('a3020500');
    expect(der.setOf([der.int(2), der.int(1), der.octets(Buffer.alloc(0))]).toString('hex')).toBe('310802010102010204' + '00');
    expect(der.bits(Buffer.from([0x80]), 7).toString('hex')).toBe('03020780');
    const long = der.octets(Buffer.alloc(300));
    expect(long.subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(readTlv(long).content.length).toBe(300);
    expect(() => der.printable('Việt')).toThrow();
  });
});

// ---- persistence and trust store ------------------------------------------------------------

describe('generation and trust store', () => {
  test('writeTrustStore lays out government/public/crl and leaves look-alikes out', () => {
    const real = path.join(tmp, 'real');
    fs.mkdirSync(path.join(real, 'government', 'BCY-G2'), { recursive: true });
    fs.writeFileSync(path.join(real, 'government', 'BCY-G2', 'x.crt'), 'real');
    const dir = path.join(tmp, 'trust');
    writeTrustStore(dir, pki, { includeRealCerts: real });
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(path.relative(dir, p).split(path.sep).join('/'));
      }
    };
    walk(dir);
    expect(files.sort()).toEqual(
      [
        'crl/cpca-test.crl.pem',
        'crl/rootca-test.crl.pem',
        'government/BCY-G2/x.crt',
        'government/TEST-BCY/cpca-test.pem',
        'government/TEST-BCY/rootca-test.pem',
        'public/NEAC-TEST/vnrca-test.pem',
        'public/VNPT-CA/vnpt-ca-test.pem',
        'public/Viettel-CA/viettel-ca-test.pem',
      ].sort(),
    );
    const pems = files.filter((f) => f.endsWith('.pem') && !f.startsWith('crl/')).map((f) => new X509Certificate(fs.readFileSync(path.join(dir, f))));
    expect(pems.some((c) => c.raw.equals(pki.lookalikeRoot.cert))).toBe(false);
    expect(pems.some((c) => c.raw.equals(pki.govRoot.cert))).toBe(true);
    // A missing real-certs folder is skipped quietly.
    expect(() => writeTrustStore(path.join(tmp, 'trust2'), pki, { includeRealCerts: path.join(tmp, 'nope') })).not.toThrow();
  });

  test('generateTestPki writes a loadable PKI', async () => {
    const dir = path.join(tmp, 'fresh');
    expect(() => loadTestPki(dir)).toThrow(/no pki\.json/);
    await generateTestPki(dir);
    const fresh = loadTestPki(dir);
    expect(fresh.all.map((t) => t.id)).toEqual(pki.all.map((t) => t.id));
    expect(loadTestPki(dir)).toBe(fresh); // cached
    for (const t of fresh.all) {
      const issuer = x509(t.chain.length > 0 ? t.chain[0] : t.cert);
      expect(x509(t).verify(issuer.publicKey)).toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, 'govRoot.key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const index = JSON.parse(fs.readFileSync(path.join(dir, 'pki.json'), 'utf8')) as { identities: Array<{ id: string }> };
    expect(index.identities[0].id).toBe('govRoot');
    // Freshly generated keys differ from the committed ones.
    expect(fresh.govRoot.cert.equals(pki.govRoot.cert)).toBe(false);
  });
});
