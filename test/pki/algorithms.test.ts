import { explicit, int, nul, oid, seq, utf8 } from '../../samples/lib/der';
import { parseDer } from '../../worker/asn1/der';
import { OID } from '../../worker/asn1/oids';
import { type AlgorithmIdentifier, digestForSignerInfo, parseAlgorithmIdentifier, resolveSignatureAlgorithm } from '../../worker/pki/algorithms';

/** Which digest and signature algorithms kiemky will compute, decided from AlgorithmIdentifiers alone. */

const algId = (...parts: Buffer[]): AlgorithmIdentifier => parseAlgorithmIdentifier(parseDer(seq(...parts)));
const SHAKE256 = '2.16.840.1.101.3.4.2.12';
const SHAKE256_LEN = '2.16.840.1.101.3.4.2.18';

describe('SHAKE256 as a CMS digest (RFC 8419)', () => {
  test('id-shake256 is SHAKE256 at 512 bits', () => {
    expect(digestForSignerInfo(algId(oid(SHAKE256)))).toMatchObject({ node: 'shake256-512', size: 64, weak: false, xof: true, display: 'SHAKE256' });
  });

  test('id-shake256-len is computable only with the INTEGER 512', () => {
    expect(digestForSignerInfo(algId(oid(SHAKE256_LEN), int(512)))).toMatchObject({ node: 'shake256-512', size: 64, display: 'SHAKE256' });
    for (const params of [[int(256)], [int(1024)], [int(0)], [int(-512)], [], [nul()], [utf8('512')], [int(2n ** 80n)]]) {
      const d = digestForSignerInfo(algId(oid(SHAKE256_LEN), ...params));
      expect({ params: params.map((p) => p.toString('hex')), node: d?.node }).toEqual({ params: params.map((p) => p.toString('hex')), node: null });
    }
    expect(digestForSignerInfo(algId(oid(SHAKE256_LEN), int(256)))?.display).toBe('SHAKE256 with a 256-bit output');
  });

  test('no signature scheme that hashes by name takes SHAKE256: rsaEncryption, ecPublicKey, RSA-PSS', () => {
    const shake = digestForSignerInfo(algId(oid(SHAKE256)));
    for (const key of [OID.rsaEncryption, OID.ecPublicKey, OID.dsa]) {
      expect(() => resolveSignatureAlgorithm(algId(oid(key)), shake)).toThrow(/not a defined signature algorithm/);
    }
    const pss = algId(oid(OID.rsassaPss), seq(explicit(0, seq(oid(SHAKE256)))));
    expect(() => resolveSignatureAlgorithm(pss)).toThrow(/RSA-PSS hash not supported/);
    // EdDSA hashes inside the scheme, whatever the digest.
    expect(resolveSignatureAlgorithm(algId(oid(OID.ed448)), shake)).toMatchObject({ scheme: 'ed448', hash: null, weak: false });
  });
});
