/**
 * Validation and CMS cases on the project's generated test PKI (samples/lib): expired, revoked before/after the
 * signing time, OCSP, PSS, ECDSA, no signed attributes, wrong signingCertificateV2, SKI sid, look-alike roots.
 */
import * as crypto from 'node:crypto';
import { loadTestPki, type TestIdentity, type TestPki } from '../../samples/lib/test-pki';
import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { signDetached, signPkcs7Sha1, timestampToken, documentTimestamp } from '../../samples/lib/cms-pkijs';
import { makeOcspResponse as makeOcspResponseByHand } from '../../samples/lib/revocation-builder';
import { pkijsRevocation, type RevocationEncoders } from '../../samples/lib/revocation-pkijs';
import { Certificate } from '../../worker/pki/certificate';
import { decodeRevocation } from '../../worker/pki/revocation';
import { emptyTrustStore } from '../../worker/pki/trust-store';
import { validateCertificate, type ValidationContext } from '../../worker/pki/validate';
import { classifySigner } from '../../worker/pki/signer-kind';
import { CertificateList } from '../../worker/pki/crl';
import { OcspResponse } from '../../worker/pki/ocsp';
import type { TrustStore } from '../../worker/pki/types';
import { digestPlan, finishSignature, prepareSignature, type PreparedCms, type PreparedSignature } from '../../worker/cms/index';
import type { CmsSignatureFacts } from '../../worker/cms/types';
import { digestBytes } from '../../worker/pki/digest-hash';

let pki: TestPki;
let store: TrustStore;
/** Certificates, CRLs and OCSP responses made for these tests come from pkijs, not from the decoder's sibling encoder. */
let revocation: RevocationEncoders;
const cert = (t: TestIdentity): Certificate => Certificate.fromDer(t.cert);

beforeAll(async () => {
  revocation = await pkijsRevocation();
  await pkijsCertificates();
  pki = loadTestPki();
  store = emptyTrustStore();
  store.anchors.push({ certificate: cert(pki.govRoot), category: 'government', provider: null, file: 'gov-root' });
  store.anchors.push({ certificate: cert(pki.publicRoot), category: 'public', provider: null, file: 'pub-root' });
  store.intermediates.push({ certificate: cert(pki.publicSubs['VNPT-CA']), category: 'public', provider: 'VNPT-CA', file: 'vnpt' });
});

type ContextExtra = Omit<Partial<ValidationContext>, 'crls' | 'ocsps'> & { crls?: Buffer[]; ocsps?: Buffer[] };

/** A validation context; revocation data is given as DER and decoded as fact collection decodes it. */
function ctx(leaf: TestIdentity, time: Date, extra: ContextExtra = {}): ValidationContext {
  const { crls, ocsps, ...rest } = extra;
  const revocation = decodeRevocation(crls ?? [], ocsps ?? []);
  return { pool: leaf.chain.map((d) => Certificate.fromDer(d)), trustStore: store, time, purpose: 'signing', ...rest, crls: revocation.crls, ocsps: revocation.ocsps };
}

function midLife(t: TestIdentity): Date {
  const c = cert(t);
  return new Date((c.notBefore.getTime() + c.notAfter.getTime()) / 2);
}

describe('validateCertificate on the test PKI', () => {
  test('unit leader and agency: valid, government, classified', () => {
    const u = pki.units[0]!;
    for (const [t, kind] of [[u.leader, 'personal'], [u.agency, 'organization']] as const) {
      const v = validateCertificate(cert(t), ctx(t, midLife(t)));
      expect(v.status).toBe('valid');
      expect(v.category).toBe('government');
      expect(v.provider).toBe('Ban Cơ yếu Chính phủ');
      expect(v.chain[v.chain.length - 1]!.fingerprintSha256).toBe(cert(pki.govRoot).fingerprintSha256);
      expect(classifySigner(cert(t)).kind).toBe(kind);
    }
  });

  test('public CA: provider from the stored intermediate folder', () => {
    const t = pki.publicOrg;
    const v = validateCertificate(cert(t), ctx(t, midLife(t)));
    expect(v.category).toBe('public');
    if (cert(t).issuer.get('CN') === cert(pki.publicSubs['VNPT-CA']).subject.get('CN')) expect(v.provider).toBe('VNPT-CA');
    expect(classifySigner(cert(t)).kind).toBe('organization');
    expect(classifySigner(cert(pki.actingForOrg)).kind).toBe('personal');
    expect(classifySigner(cert(pki.publicPersonal)).kind).toBe('personal');
  });

  test('look-alike root with the real name but another key: untrusted', () => {
    const t = pki.lookalikeAgency;
    const v = validateCertificate(cert(t), ctx(t, midLife(t), { pool: [cert(pki.lookalikeSub), cert(pki.lookalikeRoot)] }));
    expect(v.status).toBe('untrusted');
    expect(v.category).toBe('untrusted');
    expect(v.problems.map((p) => p.code)).toContain('CHAIN_NOT_FOUND');
  });

  test('expired and not-yet-valid leaves', () => {
    const e = pki.expiredLeader;
    expect(validateCertificate(cert(e), ctx(e, new Date(cert(e).notAfter.getTime() + 1000))).status).toBe('expired');
    expect(validateCertificate(cert(e), ctx(e, midLife(e))).status).toBe('valid');
    const n = pki.notYetValidLeader;
    expect(validateCertificate(cert(n), ctx(n, new Date(cert(n).notBefore.getTime() - 1000))).status).toBe('not_yet_valid');
  });

  test('revoked: before the time counts, after does not; forged CRL ignored', () => {
    const r = pki.revokedLeader;
    const at = pki.revokedLeaderDate;
    const before = validateCertificate(cert(r), ctx(r, new Date(at.getTime() + 60_000), { crls: [pki.govSubCrl] }));
    expect(before.status).toBe('revoked');
    expect(before.revocation.revoked).toBe(true);
    expect(before.revocation.revokedAt?.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
    expect(before.revocation.source).toBe('crl');
    const after = validateCertificate(cert(r), ctx(r, new Date(at.getTime() - 60_000), { crls: [pki.govSubCrl] }));
    expect(after.status).toBe('valid');
    expect(after.revocation.checked).toBe(true);
    expect(after.problems.map((p) => p.code)).toContain('REVOKED_AFTER_TIME');
    // A CRL with the right issuer name signed by another key is no evidence.
    const fakeIssuer: TestIdentity = { ...pki.govSub, key: pki.lookalikeSub.key };
    const forged = revocation.makeCrl(fakeIssuer, [], { thisUpdate: new Date(at.getTime() + 1000), nextUpdate: new Date(at.getTime() + 86400_000) });
    const v = validateCertificate(cert(r), ctx(r, new Date(at.getTime() + 60_000), { crls: [forged] }));
    expect(v.revocation.checked).toBe(false);
  });

  test('CRL parsing: serials are compared as integers', () => {
    const crl = CertificateList.fromDer(pki.govSubCrl);
    const serial = cert(pki.revokedLeader).serialNumberHex;
    expect(crl.lookup(serial)).not.toBeNull();
    expect(crl.lookup('00' + serial.replace(/^00/, ''))).not.toBeNull();
    expect(crl.isSignedBy(cert(pki.govSub))).toBe(true);
    expect(crl.isSignedBy(cert(pki.govRoot))).toBe(false);
  });

  // Encoded by samples/lib's own DER writer and by pkijs: the decoder must not agree only with its sibling encoder.
  const OCSP_ENCODERS: [string, () => RevocationEncoders['makeOcspResponse']][] = [
    ['samples/lib', () => (issuer, o) => makeOcspResponseByHand(issuer, { ...o, status: o.status === 'revoked' ? 'revoked' : 'good' })],
    ['pkijs', () => revocation.makeOcspResponse],
  ];
  test.each(OCSP_ENCODERS)('OCSP encoded by %s: CA-signed and delegated responses; revoked and good', (_, encoder) => {
    const makeOcspResponse = encoder();
    const leader = pki.units[1]!.leader;
    const t = midLife(leader);
    const revokedResp = makeOcspResponse(pki.govSub, { cert: leader.cert, status: 'revoked', revokedAt: new Date(t.getTime() - 3600_000), revocationReason: 1, producedAt: t });
    const parsed = OcspResponse.fromDer(revokedResp);
    expect(parsed.verifiedSigner(cert(pki.govSub))).not.toBeNull();
    const v = validateCertificate(cert(leader), ctx(leader, t, { ocsps: [revokedResp] }));
    expect(v.status).toBe('revoked');
    expect(v.revocation.source).toBe('ocsp');
    expect(v.revocation.reason).toBe('keyCompromise');
    const good = makeOcspResponse(pki.govSub, { cert: leader.cert, status: 'good', producedAt: t });
    const g = validateCertificate(cert(leader), ctx(leader, t, { ocsps: [good] }));
    expect(g.status).toBe('valid');
    expect(g.revocation).toMatchObject({ checked: true, source: 'ocsp', revoked: false });
    // Delegated responder issued by the CA with id-kp-OCSPSigning.
    const responder = issueWithPkijs({
      subject: { CN: 'OCSP responder TEST', O: 'Ban Cơ yếu Chính phủ (THỬ NGHIỆM)', C: 'VN' },
      issuer: pki.govSub,
      notBefore: new Date(t.getTime() - 86400_000),
      notAfter: new Date(t.getTime() + 86400_000),
      extKeyUsage: ['ocspSigning'],
      keyUsage: ['digitalSignature'],
    });
    const delegated = makeOcspResponse(pki.govSub, { cert: leader.cert, status: 'revoked', revokedAt: new Date(t.getTime() - 1000), producedAt: t, responder });
    expect(validateCertificate(cert(leader), ctx(leader, t, { ocsps: [delegated] })).status).toBe('revoked');
    // A "responder" without the EKU is not authorised.
    const rogue = issueWithPkijs({
      subject: { CN: 'rogue responder', C: 'VN' },
      issuer: pki.govSub,
      notBefore: new Date(t.getTime() - 86400_000),
      notAfter: new Date(t.getTime() + 86400_000),
      keyUsage: ['digitalSignature'],
    });
    const unauth = makeOcspResponse(pki.govSub, { cert: leader.cert, status: 'good', producedAt: t, responder: rogue });
    expect(OcspResponse.fromDer(unauth).verifiedSigner(cert(pki.govSub))).toBeNull();
  });

  test('structure: a non-CA issuer makes the chain invalid; timestamping needs the EKU', () => {
    const b = pki.badChainLeader;
    const v = validateCertificate(cert(b), ctx(b, midLife(b)));
    expect(v.status).toBe('invalid');
    expect(v.problems.map((p) => p.code)).toContain('BASIC_CONSTRAINTS');
    const tsa = pki.govTsa;
    expect(validateCertificate(cert(tsa), ctx(tsa, midLife(tsa), { purpose: 'timestamping' })).status).toBe('valid');
    const leader = pki.units[0]!.leader;
    expect(validateCertificate(cert(leader), ctx(leader, midLife(leader), { purpose: 'timestamping' })).status).toBe('invalid');
  });

  test('weak keyUsage leaf: neither digitalSignature nor nonRepudiation → invalid', () => {
    const t = midLife(pki.govSub);
    const encOnly = issueWithPkijs({
      subject: { CN: 'Nguyễn Văn Phong', C: 'VN' },
      issuer: pki.govSub,
      notBefore: new Date(t.getTime() - 86400_000),
      notAfter: new Date(t.getTime() + 86400_000),
      keyUsage: ['keyEncipherment'],
    });
    const v = validateCertificate(cert(encOnly), ctx(encOnly, t));
    expect(v.status).toBe('invalid');
    // And "Văn Phong" in a person's name is not an agency word.
    expect(classifySigner(cert(encOnly)).kind).not.toBe('organization');
  });
});

describe('CMS on generated signatures', () => {
  const content = crypto.randomBytes(5000);
  function run(der: Buffer, subFilter = 'ETSI.CAdES.detached', bytes = content, extra: Certificate[] = []): CmsSignatureFacts {
    const padded = Buffer.concat([der, Buffer.alloc(300)]);
    const p = prepareSignature(padded, subFilter) as PreparedSignature;
    expect('error' in p).toBe(false);
    const plan = digestPlan(p);
    const d = new Map(plan.algorithms.map((a) => [a, digestBytes(a, bytes)] as const));
    return finishSignature(p, d, plan.needsContent ? bytes : null, extra);
  }
  const leader = (): TestIdentity => pki.units[0]!.leader;

  test('plain CAdES: valid, attributes read', () => {
    const when = midLife(leader());
    const f = run(signDetached(content, { signer: leader(), signingTime: when }));
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({ digestMatches: true, signatureValid: true, signingCertificateAttribute: 'match', digestAlgorithm: 'SHA-256', signatureAlgorithm: 'RSA with SHA-256', weakAlgorithm: false });
    expect(f.claimedSigningTime?.getTime()).toBe(Math.floor(when.getTime() / 1000) * 1000);
    expect(f.signerCertificate?.fingerprintSha256).toBe(cert(leader()).fingerprintSha256);
  });

  test('other content → MESSAGE_DIGEST_MISMATCH; tampered signature → SIGNATURE_INVALID', () => {
    const der = signDetached(content, { signer: leader() });
    const other = Buffer.from(content);
    other[0] = other[0]! ^ 1;
    expect(run(der, 'ETSI.CAdES.detached', other).problems.map((p) => p.code)).toContain('MESSAGE_DIGEST_MISMATCH');
    const bad = run(signDetached(content, { signer: leader(), tamper: 'signature' }));
    expect(bad.signatureValid).toBe(false);
    expect(bad.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
    expect(run(signDetached(content, { signer: leader(), tamper: 'messageDigest' })).digestMatches).toBe(false);
  });

  test('PSS, ECDSA, SHA-1 (weak), SHA-512', () => {
    expect(run(signDetached(content, { signer: leader(), scheme: 'pss' }))).toMatchObject({ signatureValid: true, digestMatches: true, signatureAlgorithm: 'RSA-PSS with SHA-256' });
    const ec = run(signDetached(content, { signer: pki.ecLeader, digest: 'sha384' }));
    expect(ec).toMatchObject({ signatureValid: true, digestMatches: true });
    expect(ec.signatureAlgorithm).toMatch(/^ECDSA with SHA-/);
    expect(run(signDetached(content, { signer: leader(), digest: 'sha1' }))).toMatchObject({ signatureValid: true, weakAlgorithm: true, digestAlgorithm: 'SHA-1' });
    expect(run(signDetached(content, { signer: leader(), digest: 'sha512' }))).toMatchObject({ signatureValid: true, digestAlgorithm: 'SHA-512' });
  });

  test('no signed attributes: RSA checked from the digest alone; ECDSA needs the content', () => {
    const rsa = signDetached(content, { signer: leader(), signedAttributes: false });
    const p = prepareSignature(rsa, 'adbe.pkcs7.detached') as PreparedSignature;
    expect(digestPlan(p)).toEqual({ algorithms: ['sha256'], needsContent: false });
    const f = run(rsa, 'adbe.pkcs7.detached');
    expect(f).toMatchObject({ signedAttributesPresent: false, signatureValid: true, digestMatches: true });
    const other = Buffer.from(content);
    other[10] = other[10]! ^ 1;
    expect(run(rsa, 'adbe.pkcs7.detached', other).signatureValid).toBe(false);
    const ec = signDetached(content, { signer: pki.ecLeader, signedAttributes: false });
    expect(digestPlan(prepareSignature(ec, 'adbe.pkcs7.detached') as PreparedSignature).needsContent).toBe(true);
    expect(run(ec, 'adbe.pkcs7.detached').signatureValid).toBe(true);
    const pss = signDetached(content, { signer: leader(), signedAttributes: false, scheme: 'pss' });
    expect(run(pss, 'adbe.pkcs7.detached').signatureValid).toBe(true);
  });

  test('Ed448 with SHAKE256 (RFC 8419): id-shake256, and id-shake256-len only at 512 bits', () => {
    const ed = pki.ed448Leader;
    const plain = signDetached(content, { signer: ed });
    expect(digestPlan(prepareSignature(plain, 'ETSI.CAdES.detached') as PreparedSignature).algorithms).toEqual(['shake256-512']);
    const f = run(plain);
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'SHAKE256', signatureAlgorithm: 'Ed448', weakAlgorithm: false });
    expect(f.signingCertificateAttribute).toBe('match');
    expect(run(signDetached(content, { signer: ed, shake256OutputBits: 512 }))).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'SHAKE256' });
    // Any other output length is not the digest RFC 8419 defines: unsupported, so never valid.
    for (const bits of [256, 1024]) {
      const other = run(signDetached(content, { signer: ed, shake256OutputBits: bits }));
      expect(other.digestMatches).toBe(false);
      expect(other.problems.map((p) => p.code)).toContain('UNSUPPORTED_ALGORITHM');
    }
    // A changed byte, or a changed signature.
    const changed = Buffer.from(content);
    changed[42] = changed[42]! ^ 1;
    expect(run(plain, 'ETSI.CAdES.detached', changed).problems.map((p) => p.code)).toContain('MESSAGE_DIGEST_MISMATCH');
    const bad = run(signDetached(content, { signer: ed, tamper: 'signature' }));
    expect(bad.signatureValid).toBe(false);
    expect(bad.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
  });

  test('BSI plain ECDSA: r‖s at exactly twice the field size, on P-256, P-384 and P-521', () => {
    const ec = pki.ecLeader;
    const f = run(signDetached(content, { signer: ec, ecdsa: 'plain' }));
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'SHA-256', signatureAlgorithm: 'ECDSA (plain) with SHA-256', weakAlgorithm: false });
    expect(run(signDetached(content, { signer: ec, ecdsa: 'plain', digest: 'sha512' }))).toMatchObject({ signatureValid: true, signatureAlgorithm: 'ECDSA (plain) with SHA-512' });
    expect(run(signDetached(content, { signer: ec, ecdsa: 'plain', digest: 'sha1' }))).toMatchObject({ signatureValid: true, weakAlgorithm: true });
    // The same r and s, each one byte longer: a value no P-256 signature has.
    const wide = run(signDetached(content, { signer: ec, ecdsa: 'plain', tamper: 'plainRsLength' }));
    expect(wide.signatureValid).toBe(false);
    expect(wide.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
    expect(run(signDetached(content, { signer: ec, ecdsa: 'plain', tamper: 'signature' })).signatureValid).toBe(false);
    const changed = Buffer.from(content);
    changed[7] = changed[7]! ^ 1;
    expect(run(signDetached(content, { signer: ec, ecdsa: 'plain' }), 'ETSI.CAdES.detached', changed).digestMatches).toBe(false);
    // Without signed attributes the signature covers the bytes themselves.
    const bare = signDetached(content, { signer: ec, ecdsa: 'plain', signedAttributes: false });
    expect(digestPlan(prepareSignature(bare, 'adbe.pkcs7.detached') as PreparedSignature).needsContent).toBe(true);
    expect(run(bare, 'adbe.pkcs7.detached')).toMatchObject({ signatureValid: true, digestMatches: true });
    expect(run(bare, 'adbe.pkcs7.detached', changed).signatureValid).toBe(false);
    // P-521's field is 66 bytes (521 bits), not 65.
    for (const keyType of ['ec-p384', 'ec-p521'] as const) {
      const t = issueWithPkijs({ subject: { CN: `${keyType} TEST` }, issuer: pki.govSub, keyType, notBefore: new Date('2024-01-01Z'), notAfter: new Date('2028-01-01Z') });
      const ok = run(signDetached(content, { signer: t, ecdsa: 'plain', digest: 'sha384' }));
      expect({ keyType, valid: ok.signatureValid, problems: ok.problems }).toEqual({ keyType, valid: true, problems: [] });
      expect(run(signDetached(content, { signer: t, ecdsa: 'plain', digest: 'sha384', tamper: 'plainRsLength' })).signatureValid).toBe(false);
    }
  });

  test('ECDSA signatures under the other encoding\'s OID do not verify', () => {
    const prepared = (der: Buffer): PreparedCms => prepareSignature(der, 'ETSI.CAdES.detached') as PreparedCms;
    const finishWith = (p: PreparedCms, value: Buffer): CmsSignatureFacts => {
      p.signer.signature = value;
      const plan = digestPlan(p);
      return finishSignature(p, new Map(plan.algorithms.map((a) => [a, digestBytes(a, content)] as const)), content, []);
    };
    const plain = prepared(signDetached(content, { signer: pki.ecLeader, ecdsa: 'plain' }));
    const x962 = prepared(signDetached(content, { signer: pki.ecLeader }));
    const plainValue = plain.signer.signature;
    const derValue = x962.signer.signature;
    expect(plainValue.length).toBe(64);
    expect(derValue[0]).toBe(0x30);
    // A DER value under the plain OID has the wrong length; r‖s under the X9.62 OID is not DER.
    expect(finishWith(plain, derValue).signatureValid).toBe(false);
    expect(finishWith(x962, plainValue).signatureValid).toBe(false);
    expect(finishWith(plain, plainValue).signatureValid).toBe(true);
  });

  test('Ed25519 with SHA-512 still verifies', () => {
    const t = issueWithPkijs({ subject: { CN: 'Ed25519 TEST' }, issuer: pki.govSub, keyType: 'ed25519', notBefore: new Date('2024-01-01Z'), notAfter: new Date('2028-01-01Z') });
    const f = run(signDetached(content, { signer: t }));
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({ digestMatches: true, signatureValid: true, digestAlgorithm: 'SHA-512', signatureAlgorithm: 'Ed25519' });
  });

  test('signingCertificateV2 naming another certificate → SIGNING_CERTIFICATE_MISMATCH', () => {
    const f = run(signDetached(content, { signer: leader(), signingCertificateOf: pki.units[1]!.leader.cert }));
    expect(f.signingCertificateAttribute).toBe('mismatch');
    expect(f.problems.map((p) => p.code)).toContain('SIGNING_CERTIFICATE_MISMATCH');
  });

  test('SKI sid; signer only in DSS certificates; signer absent', () => {
    expect(run(signDetached(content, { signer: leader(), sid: 'ski' })).signatureValid).toBe(true);
    const bare = signDetached(content, { signer: leader(), embedCertificates: false });
    expect(run(bare).problems.map((p) => p.code)).toContain('SIGNER_NOT_FOUND');
    expect(run(bare, 'ETSI.CAdES.detached', content, [cert(leader())]).signatureValid).toBe(true);
  });

  test('adbe.pkcs7.sha1', () => {
    const f = run(signPkcs7Sha1(content, { signer: leader() }), 'adbe.pkcs7.sha1');
    expect(f).toMatchObject({ digestMatches: true, signatureValid: true, weakAlgorithm: true });
    const other = Buffer.from(content);
    other[1] = other[1]! ^ 1;
    expect(run(signPkcs7Sha1(content, { signer: leader() }), 'adbe.pkcs7.sha1', other).digestMatches).toBe(false);
  });

  test('a detached signature that carries eContent: ECONTENT_IN_DETACHED, whatever its digest says; adbe.pkcs7.sha1 is not one', () => {
    const finish = (der: Buffer, subFilter: string | null): CmsSignatureFacts => {
      const p = prepareSignature(der, subFilter) as PreparedSignature;
      const plan = digestPlan(p);
      return finishSignature(p, new Map(plan.algorithms.map((a) => [a, digestBytes(a, content)] as const)), content, []);
    };
    for (const encapsulate of [Buffer.from('another text'), Buffer.alloc(0), content]) {
      const der = signDetached(content, { signer: leader(), encapsulate });
      // Unknown and missing SubFilters are read as detached.
      for (const subFilter of ['adbe.pkcs7.detached', 'ETSI.CAdES.detached', 'x.unknown', null]) {
        const f = finish(der, subFilter);
        // The messageDigest and the signature hold over the PDF bytes: the eContent alone is what is wrong.
        expect({ subFilter, digest: f.digestMatches, signature: f.signatureValid }).toEqual({ subFilter, digest: true, signature: true });
        expect({ subFilter, codes: f.problems.map((p) => p.code) }).toEqual({ subFilter, codes: ['ECONTENT_IN_DETACHED'] });
      }
    }
    expect(finish(signPkcs7Sha1(content, { signer: leader() }), 'adbe.pkcs7.sha1').problems).toEqual([]);
    expect(finish(signDetached(content, { signer: leader() }), 'adbe.pkcs7.detached').problems).toEqual([]);
  });

  test('signature timestamp and document timestamp', () => {
    const genTime = midLife(pki.govTsa);
    const f = run(signDetached(content, { signer: leader(), timestamp: { tsa: pki.govTsa, genTime } }));
    expect(f.problems).toEqual([]);
    expect(f.timestamp).toMatchObject({ imprintMatches: true, signatureValid: true, imprintAlgorithm: 'SHA-256' });
    expect(f.timestamp?.genTime.getTime()).toBe(Math.floor(genTime.getTime() / 1000) * 1000);
    expect(f.timestamp?.tsaCertificate?.fingerprintSha256).toBe(cert(pki.govTsa).fingerprintSha256);
    const doc = run(documentTimestamp(content, { tsa: pki.govTsa, genTime }), 'ETSI.RFC3161');
    expect(doc).toMatchObject({ digestMatches: true, signatureValid: true });
    expect(doc.timestamp?.genTime.getTime()).toBe(Math.floor(genTime.getTime() / 1000) * 1000);
    const wrong = run(documentTimestamp(Buffer.from('other'), { tsa: pki.govTsa, genTime }), 'ETSI.RFC3161');
    expect(wrong.digestMatches).toBe(false);
    expect(wrong.problems.map((p) => p.code)).toContain('MESSAGE_DIGEST_MISMATCH');
    // A token over something else attached as a signature timestamp: reported, integrity untouched.
    void timestampToken;
  });

  test('revocation data carried in the CMS is surfaced', () => {
    const f = run(signDetached(content, { signer: leader(), crls: [pki.govSubCrl], signedDataCrls: [pki.govRootCrl] }));
    expect(f.crls.length).toBe(2);
    expect(f.signatureValid).toBe(true);
  });

  test('fuzz: random byte flips never throw out of prepare/finish', () => {
    const der = signDetached(content, { signer: leader(), timestamp: { tsa: pki.govTsa, genTime: midLife(pki.govTsa) }, crls: [pki.govSubCrl] });
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let validCount = 0;
    for (let i = 0; i < 1500; i++) {
      const m = Buffer.from(der);
      const flips = 1 + rnd(4);
      for (let k = 0; k < flips; k++) m[rnd(m.length)] = rnd(256);
      const p = prepareSignature(m, 'ETSI.CAdES.detached');
      if ('error' in p) {
        expect(p.error.code).toBe('CMS_MALFORMED');
        continue;
      }
      const plan = digestPlan(p);
      const d = new Map(plan.algorithms.map((a) => [a, digestBytes(a, content)] as const));
      const f = finishSignature(p, d, content, []);
      if (f.problems.length === 0 && f.digestMatches && f.signatureValid) validCount++;
    }
    // Flips in unsigned parts (unsigned attributes, certificates' padding) may leave a valid signature; most do not.
    expect(validCount).toBeLessThan(1500);
  });
});
