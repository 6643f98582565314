/**
 * The plain detached CMS signature of the samples and the timestamp tokens, encoded by pkijs (samples/lib/cms-pkijs.ts):
 * kiemky and pkijs read them alike, the signed attributes are in DER order, and signed PDFs get the report they should.
 * Until samples/lib's own DER writer (cms-builder.ts) was deleted these were also held to its bytes: DER is canonical
 * and RSA PKCS#1 v1.5 deterministic, so two correct encoders gave the same bytes (every sample file was unchanged when
 * `npm run samples` moved to pkijs, the three with randomised ECDSA/PSS signatures aside).
 */
import * as cms from '../../samples/lib/cms-pkijs';
import type { SignOptions as PkijsSignOptions, TimestampOptions } from '../../samples/lib/cms-pkijs';
import { makeUnitDocument, signAgency, signLeader, LEADER_AT, AGENCY_AT } from '../../samples/scenarios';
import { parseSignedDataContentInfo } from '../../worker/cms/signed-data';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { readWithKiemky } from '../decoders/kiemky-view';
import { readWithPkijs } from '../decoders/pkijs-view';
import { testTrust } from '../helpers/test-trust';

const { pki, trust } = testTrust();

const content = Buffer.from('%PDF-1.7 the ByteRange bytes of a signed document');
const unit = pki.units[0]!;
const CASES: [string, PkijsSignOptions][] = [
  ['a leader, signingTime and signingCertificateV2', { signer: unit.leader, signingTime: LEADER_AT }],
  ['an agency seal', { signer: unit.agency, signingTime: AGENCY_AT }],
  ['no signingTime (PAdES style)', { signer: unit.leader, signingTime: null }],
  ['no signingCertificateV2', { signer: unit.leader, signingTime: LEADER_AT, signingCertificateV2: false }],
  ['a signing time after 2049 (GeneralizedTime)', { signer: unit.leader, signingTime: new Date('2051-01-02T03:04:05.678Z') }],
  ['the whole chain embedded, root included', { signer: unit.leader, signingTime: LEADER_AT, chain: unit.leader.chain }],
  ['a signature timestamp by the government TSA', { signer: unit.leader, signingTime: LEADER_AT, timestamp: { tsa: pki.govTsa, genTime: LEADER_AT } }],
  ['SHA-1 (digest AlgorithmIdentifier with NULL)', { signer: unit.leader, signingTime: LEADER_AT, digest: 'sha1' }],
  ['SHA-384', { signer: unit.leader, signingTime: LEADER_AT, digest: 'sha384' }],
  ['SHA-512 with a SHA-512 signature timestamp', { signer: unit.leader, signingTime: LEADER_AT, digest: 'sha512', timestamp: { tsa: pki.govTsa, genTime: LEADER_AT } }],
  ['the signer named by subjectKeyIdentifier (SignerInfo and SignedData v3)', { signer: unit.leader, signingTime: LEADER_AT, sid: 'ski' }],
  ['no certificates embedded', { signer: unit.agency, signingTime: AGENCY_AT, embedCertificates: false }],
];

const genTime = new Date('2026-03-10T02:16:07.250Z');
const TOKENS: [string, TimestampOptions][] = [
  ['SHA-256 imprint (the /DocTimeStamp)', { tsa: pki.govTsa, genTime }],
  ['SHA-1 imprint (its AlgorithmIdentifier carries NULL)', { tsa: pki.govTsa, genTime, digest: 'sha1' }],
  ['SHA-384 imprint', { tsa: pki.govTsa, genTime, digest: 'sha384' }],
  ['SHA-512 imprint', { tsa: pki.govTsa, genTime, digest: 'sha512' }],
];

test('kiemky and pkijs read the pkijs-encoded timestamp tokens alike', () => {
  for (const [name, o] of TOKENS) {
    const der = cms.timestampToken(content, o);
    expect({ name, kiemky: readWithKiemky('timestamp', der) }).toEqual({ name, kiemky: { ...readWithPkijs('timestamp', der), notes: [] } });
  }
});

test('kiemky and pkijs read the pkijs-encoded SignedData alike, detached and adbe.pkcs7.sha1', () => {
  for (const [name, o] of CASES) {
    for (const der of [cms.signDetached(content, o), cms.signPkcs7Sha1(content, o)]) {
      expect({ name, kiemky: readWithKiemky('cms', der) }).toEqual({ name, kiemky: { ...readWithPkijs('cms', der), notes: [] } });
    }
  }
});

test('the signed attributes are where RFC 5652 puts them, in DER order', () => {
  const sd = parseSignedDataContentInfo(cms.signDetached(content, CASES[0]![1]), true);
  expect(sd.signerInfos[0]!.signedAttrs?.map((a) => a.oid)).toEqual([
    '1.2.840.113549.1.9.3', // contentType, 30 18
    '1.2.840.113549.1.9.5', // signingTime, 30 1c
    '1.2.840.113549.1.9.4', // messageDigest, 30 2f
    '1.2.840.113549.1.9.16.2.47', // signingCertificateV2, 30 81 …
  ]);
});

test('a PDF signed with the pkijs encoder, leader then agency, is compliant', async () => {
  const doc = makeUnitDocument({ unit: 0, so: 917, date: LEADER_AT, seed: 917 }, unit.name);
  const pdf = signAgency(
    signLeader(doc, unit.leader, { sign: (b) => cms.signDetached(b, { signer: unit.leader, signingTime: LEADER_AT }) }),
    unit.agency,
    { sign: (b) => cms.signDetached(b, { signer: unit.agency, signingTime: AGENCY_AT }) },
  );
  const r = await verifyDocument(new BufferSource(pdf), trust, { fileName: 'cms-pkijs.pdf' });
  expect(r.verdict).toBe('compliant');
  expect(r.signatures.map((s) => s.certificate)).toEqual(['valid', 'valid']);
});

test('a signature timestamp from the pkijs encoder moves the signing time into the certificate validity', async () => {
  // The expired leader (valid 2020 … 2022) claims 2025; the trusted TSA dates the signature inside the validity.
  const claimed = new Date('2025-03-10T02:15:00Z');
  const inValidity = new Date('2021-06-01T03:00:00Z');
  const doc = makeUnitDocument({ unit: 0, so: 918, date: LEADER_AT, seed: 918 }, unit.name);
  const o = { signer: pki.expiredLeader, signingTime: claimed, timestamp: { tsa: pki.govTsa, genTime: inValidity } };
  const pdf = signLeader(doc, pki.expiredLeader, { sign: (b) => cms.signDetached(b, o) });
  const r = await verifyDocument(new BufferSource(pdf), trust, { fileName: 'cms-pkijs-ts.pdf' });
  expect(r.signatures[0]).toMatchObject({ signingTimeSource: 'timestamp', signingTime: inValidity.toISOString(), certificate: 'valid' });
  expect(r.signatures[0]!.timestamp?.valid).toBe(true);
});

test('an adbe.pkcs7.sha1 signature from the pkijs encoder is intact and flagged as a weak algorithm', async () => {
  const doc = makeUnitDocument({ unit: 0, so: 919, date: LEADER_AT, seed: 919 }, unit.name);
  const sign = (b: Buffer): Buffer => cms.signPkcs7Sha1(b, { signer: unit.leader, signingTime: LEADER_AT });
  const pdf = signAgency(signLeader(doc, unit.leader, { field: { subFilter: 'adbe.pkcs7.sha1' }, sign }), unit.agency);
  const r = await verifyDocument(new BufferSource(pdf), trust, { fileName: 'cms-pkijs-sha1.pdf' });
  expect(r.checks).toMatchObject({ intact: true, strongAlgorithms: false });
  expect(r.signatures[0]).toMatchObject({ subFilter: 'adbe.pkcs7.sha1', weakAlgorithm: true });
});
