import * as fs from 'node:fs';
import * as path from 'node:path';
import { Certificate } from '../../worker/pki/certificate';
import { classifySigner } from '../../worker/pki/signer-kind';
import { validateCertificate } from '../../worker/pki/validate';
import { emptyTrustStore, loadTrustStore } from '../../worker/pki/trust-store';
import type { TrustStore } from '../../worker/pki/types';
import { prepareSignature } from '../../worker/cms/index';
import { CERTS_DIR, PDFS_DIR, certFiles, describeShared, extractSignatures, loadCert } from './helpers';

function storeOf(entries: { file: string; category: 'government' | 'public'; provider?: string }[]): TrustStore {
  const store = emptyTrustStore();
  for (const e of entries) {
    const certificate = loadCert(e.file);
    const entry = { certificate, category: e.category, provider: e.provider ?? null, file: e.file };
    if (certificate.isSelfIssued && certificate.isSignedBy(certificate)) store.anchors.push(entry);
    else store.intermediates.push(entry);
  }
  return store;
}

describeShared('real Vietnamese CA certificates', () => {
  const infos = JSON.parse(fs.readFileSync(path.join(CERTS_DIR, 'certs.json'), 'utf8')) as unknown;

  test('every certificate parses, with the fingerprint certs.json records', () => {
    const files = certFiles();
    expect(files.length).toBeGreaterThanOrEqual(30);
    const text = JSON.stringify(infos).toLowerCase();
    for (const f of files) {
      const c = loadCert(f);
      expect(c.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(text.includes(c.fingerprintSha256) || text.includes(c.fingerprintSha256.replace(/(..)(?!$)/g, '$1:'))).toBe(true);
      expect(c.subject.get('CN')).toBeTruthy();
      expect(c.notBefore.getTime()).toBeLessThan(c.notAfter.getTime());
      expect(['RSA', 'EC']).toContain(c.keyAlgorithm);
      expect(c.keyBits).toBeGreaterThanOrEqual(2048);
    }
  });

  test('the cache returns the same object for the same DER', () => {
    const a = loadCert('bcy-g2-root_rootca-chuyen-dung-chinh-phu-g2.crt');
    const b = Certificate.fromDer(Buffer.from(a.der));
    expect(b).toBe(a);
  });

  test('G2 root: name, key, constraints, self-signed', () => {
    const root = loadCert('bcy-g2-root_rootca-chuyen-dung-chinh-phu-g2.crt');
    expect(root.fingerprintSha256).toBe('f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8');
    expect(root.subject.toString()).toBe('CN=RootCA chuyên dùng Chính phủ G2, O=Ban Cơ yếu Chính phủ, C=VN');
    expect(root.keyBits).toBe(4096);
    expect(root.basicConstraints?.ca).toBe(true);
    expect(root.isSelfIssued).toBe(true);
    expect(root.isSignedBy(root)).toBe(true);
    expect(root.signatureAlgorithm.name).toBe('RSA with SHA-256');
  });

  test('BCY G2 sub-CAs chain to the G2 root by key; G1 subs to G1 root', () => {
    const store = storeOf([
      { file: 'bcy-g2-root_rootca-chuyen-dung-chinh-phu-g2.crt', category: 'government' },
      { file: 'bcy-g1-root_co-quan-chung-thuc-so-chuyen-dung-chinh-phu-rootca.crt', category: 'government' },
    ]);
    const time = new Date('2024-06-01T00:00:00Z');
    for (const f of certFiles().filter((x) => x.startsWith('bcy-g2-sub'))) {
      const v = validateCertificate(loadCert(f), { pool: [], trustStore: store, time, crls: [], ocsps: [], purpose: 'signing' });
      expect(v.chain.length).toBe(2);
      expect(v.root).toBe('RootCA chuyên dùng Chính phủ G2');
      expect(v.category).toBe('government');
      expect(v.provider).toBe('Ban Cơ yếu Chính phủ');
      // A CA certificate as "leaf" has keyUsage without digitalSignature: the structure check says invalid.
      expect(['valid', 'invalid']).toContain(v.status);
    }
    for (const f of certFiles().filter((x) => x.startsWith('bcy-g1-sub'))) {
      const v = validateCertificate(loadCert(f), { pool: [], trustStore: store, time, crls: [], ocsps: [], purpose: 'signing' });
      expect(v.root).toBe('Co quan chung thuc so chuyen dung Chinh phu (RootCA)');
    }
  });

  test('organization EE samples classify as organization and chain to their sub-CAs', () => {
    const store = storeOf([
      { file: 'bcy-g2-root_rootca-chuyen-dung-chinh-phu-g2.crt', category: 'government' },
      { file: 'bcy-g2-sub_ca-phuc-vu-cac-co-quan-nha-nuoc-g2.crt', category: 'government' },
      { file: 'bcy-g1-root_co-quan-chung-thuc-so-chuyen-dung-chinh-phu-rootca.crt', category: 'government' },
      { file: 'bcy-g1-sub_co-quan-chung-thuc-so-bo-tai-chinh.crt', category: 'government' },
      { file: 'bcy-g1-sub_co-quan-chung-thuc-so-chinh-phu.crt', category: 'government' },
    ]);
    for (const f of certFiles().filter((x) => x.startsWith('ee-samples/'))) {
      const leaf = loadCert(f);
      const k = classifySigner(leaf);
      expect(k.kind).toBe('organization');
      const time = new Date(Math.min(leaf.notAfter.getTime() - 86400_000, leaf.notBefore.getTime() + 86400_000 * 30));
      const v = validateCertificate(leaf, { pool: [], trustStore: store, time, crls: [], ocsps: [], purpose: 'signing' });
      expect(v.chain.length).toBe(3);
      expect(v.category).toBe('government');
      expect(v.chain[1]!.subject.get('CN')).toBe(leaf.issuer.get('CN'));
      expect(v.status).not.toBe('untrusted');
    }
  });

  test('the real MIC root and the licensed CAs under it', () => {
    const store = storeOf([{ file: 'neac-root_mic-national-root-ca_sha1_2008.crt', category: 'public' }]);
    const fpt = loadCert('pubca-mic_fpt-certification-authority_2015-2020.crt');
    const v = validateCertificate(fpt, { pool: [], trustStore: store, time: new Date('2018-01-01Z'), crls: [], ocsps: [], purpose: 'signing' });
    expect(v.root).toBe('MIC National Root CA');
    expect(v.chain.length).toBe(2);
  });

  test('the look-alike MIC root in the fixture PDFs never validates as trusted', () => {
    const store = loadTrustStoreFromShared();
    const files = fs.readdirSync(PDFS_DIR).filter((f) => f.endsWith('.pdf'));
    let lookAlikes = 0;
    for (const f of files) {
      for (const sig of extractSignatures(fs.readFileSync(path.join(PDFS_DIR, f)))) {
        const p = prepareSignature(sig.contents, sig.subFilter);
        if ('error' in p) throw new Error(`${f}: ${p.error.detail}`);
        if (p.mode === 'x509.rsa_sha1') throw new Error(`${f}: not a CMS signature`);
        const certs = p.signedData.certificates;
        const fakeRoot = certs.find((c) => c.subject.get('CN') === 'MIC National Root CA');
        if (fakeRoot) {
          lookAlikes++;
          expect(fakeRoot.sameKeyAs(loadCert('neac-root_mic-national-root-ca_sha1_2008.crt'))).toBe(false);
        }
        for (const leaf of certs.filter((c) => !c.basicConstraints?.ca)) {
          const v = validateCertificate(leaf, { pool: certs, trustStore: store, time: new Date('2023-01-19T10:00:00Z'), crls: [], ocsps: [], purpose: 'signing' });
          expect(v.status).toBe('untrusted');
          expect(v.category).toBe('untrusted');
          expect(v.root).toBeNull();
        }
      }
    }
    expect(lookAlikes).toBeGreaterThan(0);
  });
});

/** A trust store folder assembled from the shared certificates in a temp dir (government/, public/<provider>/). */
function loadTrustStoreFromShared(): TrustStore {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kiemky-store-'));
  for (const f of certFiles()) {
    if (f.startsWith('ee-samples/')) continue;
    const cat = f.startsWith('bcy-') ? 'government' : 'public';
    const provider = f.startsWith('pubca-') ? f.split('_')[1]!.replace(/_.*/, '') : '';
    const target = path.join(dir, cat, provider);
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(path.join(CERTS_DIR, f), path.join(target, path.basename(f)));
  }
  let store: ReturnType<typeof loadTrustStore>;
  try {
    store = loadTrustStore(dir);
  } finally {
    // The store is in memory once loaded: the folder is not left behind in the machine's temp dir.
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(store.warnings).toEqual([]);
  expect(store.anchors.length).toBeGreaterThanOrEqual(10);
  return store;
}
