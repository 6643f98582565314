import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { makeUnitDocument, signAgency, signLeader, LEADER_AT } from '../../samples/scenarios';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { testTrust } from '../helpers/test-trust';

/**
 * A timestamp moves the signing time, and with it whether a certificate was valid: only a timestamp whose token
 * verifies AND whose TSA chains to a pinned root may do that. An attacker's own TSA must not revive an expired
 * certificate by dating the signature inside its validity.
 */

const { pki, trust } = testTrust();
// The expired leader was valid 2020-01-01 … 2022-12-31; the document claims to be signed in 2025.
const claimed = new Date('2025-03-10T02:15:00Z');
const inValidity = new Date('2021-06-01T03:00:00Z');

function signedWithTimestamp(tsa: Parameters<typeof signLeader>[1]): Buffer {
  const doc = makeUnitDocument({ unit: 0, so: 901, date: LEADER_AT, seed: 901 }, pki.units[0]!.name);
  const leader = signLeader(doc, pki.expiredLeader, { at: claimed, cms: { timestamp: { tsa, genTime: inValidity } } });
  return signAgency(leader, pki.units[0]!.agency);
}

test('a trusted TSA dating the signature inside the validity makes the certificate valid at that time', async () => {
  const r = await verifyDocument(new BufferSource(signedWithTimestamp(pki.govTsa)), trust, { fileName: 'ts-ok.pdf' });
  expect(r.signatures[0]).toMatchObject({ signingTimeSource: 'timestamp', signingTime: inValidity.toISOString(), certificate: 'valid' });
  expect(r.signatures[0]!.timestamp?.valid).toBe(true);
});

test("an attacker's own TSA (a look-alike chain) cannot move the time: the certificate stays expired", async () => {
  await pkijsCertificates();
  const rogueTsa = issueWithPkijs({
    subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (THỬ NGHIỆM)'], ['CN', 'TSA chuyên dùng TEST']],
    issuer: pki.lookalikeSub,
    notBefore: new Date('2020-01-01'),
    notAfter: new Date('2040-01-01'),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['timeStamping'],
    keyType: 'ec-p256',
  });
  const r = await verifyDocument(new BufferSource(signedWithTimestamp(rogueTsa)), trust, { fileName: 'ts-rogue.pdf' });
  expect(r.signatures[0]).toMatchObject({ signingTimeSource: 'signingTime', signingTime: claimed.toISOString(), certificate: 'expired' });
  expect(r.signatures[0]!.timestamp?.valid).toBe(false);
  expect(r.findings.map((f) => f.code)).toContain('TIMESTAMP_INVALID');
  expect(r.checks.certificatesValid).toBe(false);
  expect(r.verdict).toBe('noncompliant');
});
