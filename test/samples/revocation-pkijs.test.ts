/**
 * The test PKI's CRLs and OCSP responses come from pkijs (samples/lib/revocation-pkijs.ts). Here they are encoded once
 * more by samples/lib's own DER writer, kept only as this second opinion: DER is canonical and the test PKI signs with
 * RSA PKCS#1 v1.5 (deterministic), so two correct encoders give the same bytes, and any difference is a misreading of
 * RFC 5280/6960 in one of them. The committed CRLs must be exactly what pkijs encodes, and kiemky reads them as asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromPem } from '../../samples/lib/der';
import { loadTestPki, testPkiCrls } from '../../samples/lib/test-pki';
import { makeCrl, makeOcspResponse } from '../../samples/lib/revocation-builder';
import { pkijsRevocation, type OcspRequest, type RevocationEncoders } from '../../samples/lib/revocation-pkijs';
import { CertificateList } from '../../worker/pki/crl';
import { certFields } from '../../samples/lib/pki-x509';
import { Certificate } from '../../worker/pki/certificate';
import { OcspResponse } from '../../worker/pki/ocsp';
import { readWithKiemky } from '../decoders/kiemky-view';
import { readWithPkijs } from '../decoders/pkijs-view';

const pki = loadTestPki();
const at = new Date('2026-03-10T08:30:00Z');
const leader = pki.units[0]!.leader;
let pkijs: RevocationEncoders;
beforeAll(async () => {
  pkijs = await pkijsRevocation();
});
const makeCrlWithPkijs: RevocationEncoders['makeCrl'] = (...a) => pkijs.makeCrl(...a);
const makeOcspResponseWithPkijs: RevocationEncoders['makeOcspResponse'] = (...a) => pkijs.makeOcspResponse(...a);

const CASES: [string, OcspRequest][] = [
  ['good', { cert: leader.cert, status: 'good', producedAt: at }],
  ['revoked, keyCompromise', { cert: pki.revokedLeader.cert, status: 'revoked', revokedAt: pki.revokedLeaderDate, revocationReason: 1, producedAt: at }],
  ['revoked, no reason', { cert: pki.revokedLeader.cert, status: 'revoked', revokedAt: pki.revokedLeaderDate, producedAt: at, nextUpdate: new Date('2026-03-11T00:00:00Z') }],
];

test.each(CASES)('%s: the same bytes from both encoders', (_, req) => {
  const byHand = makeOcspResponse(pki.govSub, { ...req, status: req.status as 'good' | 'revoked' });
  const byPkijs = makeOcspResponseWithPkijs(pki.govSub, req);
  expect(byPkijs.toString('hex')).toBe(byHand.toString('hex'));
});

test('kiemky reads the pkijs-encoded responses as asked, and both decoders agree on them', () => {
  const gov = Certificate.fromDer(pki.govSub.cert);
  for (const [name, req] of [...CASES, ['unknown', { cert: leader.cert, status: 'unknown', producedAt: at }] as [string, OcspRequest]]) {
    const der = makeOcspResponseWithPkijs(pki.govSub, req);
    const r = OcspResponse.fromDer(der);
    expect({ name, signer: r.verifiedSigner(gov)?.fingerprintSha256 }).toEqual({ name, signer: gov.fingerprintSha256 });
    const [single] = r.responsesFor(Certificate.fromDer(req.cert), gov);
    expect(single?.certStatus.status).toBe(req.status);
    if (single?.certStatus.status === 'revoked') {
      expect(single.certStatus.revocationTime).toEqual(new Date(Math.floor(pki.revokedLeaderDate.getTime() / 1000) * 1000));
      expect(single.certStatus.reason).toBe(req.revocationReason === 1 ? 'keyCompromise' : null);
    }
    expect(readWithKiemky('ocsp', der)).toEqual({ ...readWithPkijs('ocsp', der), notes: [] });
  }
});

describe('CRLs', () => {
  const revoked = [
    { serial: certFields(pki.revokedLeader.cert).serial, date: pki.revokedLeaderDate, reason: 1 },
    { serial: 0x80n, date: new Date('2026-01-02T03:04:05Z') },
    { serial: 1n, date: new Date('2026-02-01T00:00:00Z'), reason: 4 },
  ];
  const window = { thisUpdate: new Date('2026-03-01T00:00:00Z'), nextUpdate: new Date('2026-04-01T00:00:00Z') };

  test.each([
    ['three entries, reasons and none', revoked],
    ['no entry (revokedCertificates absent)', []],
  ])('%s: the same bytes from both encoders', (_, entries) => {
    expect(makeCrlWithPkijs(pki.govSub, entries, window).toString('hex')).toBe(makeCrl(pki.govSub, entries, window).toString('hex'));
  });

  test('the same bytes after 2049 (GeneralizedTime) and with a large CRL number', () => {
    const late = { thisUpdate: new Date('2050-01-01T00:00:00Z'), nextUpdate: new Date('2050-02-01T00:00:00Z'), crlNumber: 2n ** 70n };
    expect(makeCrlWithPkijs(pki.govSub, revoked, late).toString('hex')).toBe(makeCrl(pki.govSub, revoked, late).toString('hex'));
  });

  test('kiemky reads the pkijs-encoded CRL as asked', () => {
    const crl = CertificateList.fromDer(makeCrlWithPkijs(pki.govSub, revoked, window));
    expect(crl.isSignedBy(Certificate.fromDer(pki.govSub.cert))).toBe(true);
    expect(crl.lookup(Certificate.fromDer(pki.revokedLeader.cert).serialNumberHex)).toEqual({ revocationDate: new Date(Math.floor(pki.revokedLeaderDate.getTime() / 1000) * 1000), reason: 'keyCompromise' });
    expect(crl.lookup('0080')).toEqual({ revocationDate: new Date('2026-01-02T03:04:05Z'), reason: null });
    expect(crl.lookup('01')?.reason).toBe('superseded');
    expect(crl.size).toBe(3);
    // thisUpdate in seconds, 1772323200 = 0x69a38180: no sign octet needed.
    expect(crl.crlNumber).toBe('69a38180');
  });

  test('the committed CRLs (samples/pki, the trust store of `npm run samples`) are what pkijs encodes from the committed keys', () => {
    const committed = (file: string): Buffer => fromPem(fs.readFileSync(path.join(pki.dir, file), 'utf8'), 'X509 CRL');
    const now = testPkiCrls(pki, pkijs);
    expect(now.govSubCrl.toString('hex')).toBe(committed('govSubCrl.crl.pem').toString('hex'));
    expect(now.govRootCrl.toString('hex')).toBe(committed('govRootCrl.crl.pem').toString('hex'));
    expect(pki.govSubCrl.equals(now.govSubCrl)).toBe(true);
  });
});
