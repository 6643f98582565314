/**
 * The test PKI's OCSP responses, encoded once by samples/lib's own DER writer and once by pkijs (samples/lib/
 * ocsp-pkijs.ts). DER is canonical and the test PKI signs with RSA PKCS#1 v1.5 (deterministic), so two correct
 * encoders give the same bytes: any difference is a misreading of RFC 6960 in one of them. kiemky then reads the pkijs
 * bytes as it is asked to.
 */
import { loadTestPki } from '../../samples/lib/test-pki';
import { makeOcspResponse } from '../../samples/lib/revocation-builder';
import { makeOcspResponseWithPkijs, type OcspRequest } from '../../samples/lib/ocsp-pkijs';
import { Certificate } from '../../worker/pki/certificate';
import { OcspResponse } from '../../worker/pki/ocsp';
import { readWithKiemky } from '../decoders/kiemky-view';
import { readWithPkijs } from '../decoders/pkijs-view';

const pki = loadTestPki();
const at = new Date('2026-03-10T08:30:00Z');
const leader = pki.units[0]!.leader;

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
