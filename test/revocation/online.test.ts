import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPkijs } from '../../samples/lib/pkijs-modules';
import { pkijsRevocation, type RevocationEncoders } from '../../samples/lib/revocation-pkijs';
import { GOV_POLICY, type TestIdentity } from '../../samples/lib/test-pki';
import { issueWithPkijs, pkijsCertificates } from '../../samples/lib/x509-pkijs';
import { LEADER_AT, makeUnitDocument, signAgency, signLeader } from '../../samples/scenarios';
import { factsOf } from '../../server/pool/facts-channel';
import { rejudgeStored } from '../../server/pool/rejudge';
import { OnlineRevocationFetcher } from '../../server/pool/revocation/online-fetcher';
import { createVerifier } from '../../server/pool/verifier';
import { openSqlClient } from '../../server/store/open';
import { SqlStore } from '../../server/store/sql-store';
import { fetchedVersion, fromFactsRecord, type FactsRecord } from '../../worker/facts-record';
import { judgeDocument } from '../../worker/policy/judge';
import { loadTrustStore } from '../../worker/pki/trust-store';
import { VerifyPool } from '../../server/pool/verify-pool';
import { Certificate } from '../../worker/pki/certificate';
import { OcspResponse } from '../../worker/pki/ocsp';
import type { DocumentReport } from '../../worker/report';
import { BufferSource } from '../../worker/source';
import { verifyDocument } from '../../worker/verify';
import { storeReported } from '../helpers/stored-facts';
import { testTrust } from '../helpers/test-trust';

/**
 * `--revocation online` against a CRL and OCSP responder on 127.0.0.1 for certificates issued here under the test
 * PKI's government root, each naming the local server in its CRL distribution point or AIA. The committed PKI is not
 * changed: its certificates name .invalid hosts.
 */

const { pki, trust, dir: trustDir } = testTrust();
const BCY_O = 'Ban Cơ yếu Chính phủ (THỬ NGHIỆM)';
const now = new Date();
const hour = 3600_000;
const revokedBeforeSigning = new Date(LEADER_AT.getTime() - 30 * 24 * hour);

type Route = { body: Buffer; status?: number } | { redirect: string; status: 301 | 302 } | 'hang';
const routes = new Map<string, Route>();
const hits = new Map<string, number>();
/** OCSP answers by certificate serial (hex, as the request encodes it). */
const ocspAnswers = new Map<string, (body: Buffer) => Buffer>();
let server: http.Server;
let base = '';
let closedPortBase = '';
let enc: RevocationEncoders;
let sub: TestIdentity;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiemky-revocation-'));
let cacheCount = 0;

async function ocspSerial(body: Buffer): Promise<string> {
  // Decoded by pkijs, independently of the encoder under test.
  const { pkijs } = await loadPkijs();
  const req = pkijs.OCSPRequest.fromBER(new Uint8Array(body));
  return Buffer.from(req.tbsRequest.requestList[0]!.reqCert.serialNumber.valueBlock.valueHexView).toString('hex');
}

beforeAll(async () => {
  await pkijsCertificates();
  enc = await pkijsRevocation();
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const p = req.url ?? '';
      hits.set(p, (hits.get(p) ?? 0) + 1);
      if (p === '/ocsp') {
        void ocspSerial(Buffer.concat(chunks)).then((serial) => {
          const answer = ocspAnswers.get(serial);
          res.writeHead(answer ? 200 : 404, { 'content-type': 'application/ocsp-response' });
          res.end(answer?.(Buffer.concat(chunks)));
        });
        return;
      }
      const r = routes.get(p);
      if (r === 'hang') return; // never answers
      if (r && 'redirect' in r) {
        res.writeHead(r.status, { location: r.redirect });
        res.end();
        return;
      }
      res.writeHead(r?.status ?? (r ? 200 : 404));
      res.end(r ? r.body : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPortBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  sub = issueWithPkijs({
    subject: { C: 'VN', O: BCY_O, CN: 'CA trực tuyến TEST' },
    issuer: pki.govRoot,
    notBefore: new Date('2018-08-22'),
    notAfter: new Date('2048-08-14'),
    ca: true,
    pathLen: 0,
    policies: [GOV_POLICY],
    crlUrl: `${base}/root.crl`,
  });
  const window = { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + 7 * 24 * hour) };
  routes.set('/root.crl', { body: enc.makeCrl(pki.govRoot, [], window) });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function leader(urls: { crl?: string | string[]; ocsp?: string | string[] }, person = 'Nguyễn Văn Trực Tuyến'): TestIdentity {
  return issueWithPkijs({
    subject: { C: 'VN', L: 'Khánh Hòa', O: 'ỦY BAN NHÂN DÂN HUYỆN VẠN NINH', OU: pki.units[0]!.name, CN: person, E: 'nvtt@vanninh.khanhhoa.gov.vn' },
    issuer: sub,
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2028-12-31'),
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: ['clientAuth', 'emailProtection', 'smartcardLogon'],
    emails: ['nvtt@vanninh.khanhhoa.gov.vn'],
    policies: [GOV_POLICY],
    ...(urls.crl ? { crlUrl: urls.crl } : {}),
    ...(urls.ocsp ? { ocspUrl: urls.ocsp } : {}),
  });
}

function agency(crlUrl = `${base}/sub.crl`): TestIdentity {
  return issueWithPkijs({
    subject: { CN: pki.units[0]!.name, O: 'ỦY BAN NHÂN DÂN HUYỆN VẠN NINH', L: 'Khánh Hòa', C: 'VN' },
    issuer: sub,
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2028-12-31'),
    keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment'],
    extKeyUsage: ['clientAuth', 'emailProtection', 'smartcardLogon'],
    emails: ['vanthu@vanninh.khanhhoa.gov.vn'],
    policies: [GOV_POLICY],
    crlUrl,
  });
}

/** An OCSP responder's certificate (the OCSPSigning purpose) issued by `issuer`: delegated only if that is the CA. */
function ocspResponder(cn: string, issuer: TestIdentity): TestIdentity {
  return issueWithPkijs({
    subject: { C: 'VN', O: BCY_O, CN: cn },
    issuer,
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2030-01-01'),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['ocspSigning'],
  });
}

/** The unit's CRL, listing `revoked` (before the signing time). */
function publishSubCrl(revoked: TestIdentity[]): void {
  const entries = revoked.map((r) => ({ serial: BigInt(`0x${Certificate.fromDer(r.cert).serialNumberHex}`), date: revokedBeforeSigning, reason: 1 }));
  routes.set('/sub.crl', { body: enc.makeCrl(sub, entries, { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + 24 * hour) }) });
}

function fetcher(options: { cacheDir?: string; timeoutMs?: number; maxCrlBytes?: number } = {}): OnlineRevocationFetcher {
  return new OnlineRevocationFetcher({ cacheDir: options.cacheDir ?? path.join(tmp, `cache-${cacheCount++}`), timeoutMs: options.timeoutMs ?? 2000, ...(options.maxCrlBytes ? { maxCrlBytes: options.maxCrlBytes } : {}) });
}

async function check(who: TestIdentity, f: OnlineRevocationFetcher | undefined, org: TestIdentity = agency()): Promise<DocumentReport> {
  const doc = makeUnitDocument({ unit: 0, so: 950, date: LEADER_AT, seed: 950 }, pki.units[0]!.name);
  const pdf = signAgency(signLeader(doc, who), org);
  return verifyDocument(new BufferSource(pdf), trust, { fileName: 'online.pdf', ...(f ? { revocation: f } : {}) });
}

const codes = (r: DocumentReport, sig?: number): string[] => r.findings.filter((f) => sig === undefined || f.signature === sig).map((f) => f.code);

test('a certificate the CRL does not list: compliant, and revocation counts as checked', async () => {
  publishSubCrl([]);
  const r = await check(leader({ crl: `${base}/sub.crl` }), fetcher());
  expect(r.signatures.map((s) => s.certificate)).toEqual(['valid', 'valid']);
  expect(codes(r)).not.toContain('REVOCATION_NOT_CHECKED');
  expect(codes(r)).not.toContain('REVOCATION_SOURCE_UNREACHABLE');
  expect(r.verdict).toBe('compliant');
  // The CA under the root is asked about too (the root itself never is).
  expect(hits.get('/root.crl')).toBeGreaterThan(0);
});

test('offline (no fetcher) the same document has no revocation data: the note stays', async () => {
  publishSubCrl([]);
  const r = await check(leader({ crl: `${base}/sub.crl` }), undefined);
  expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
});

test('revoked before signing per the fetched CRL: CERT_REVOKED', async () => {
  const who = leader({ crl: `${base}/sub.crl` });
  publishSubCrl([who]);
  const r = await check(who, fetcher());
  expect(r.signatures[0]!.certificate).toBe('revoked');
  expect(codes(r, 1)).toContain('CERT_REVOKED');
  expect(r.verdict).toBe('noncompliant');
});

test('revoked before signing per the OCSP responder (AIA only): CERT_REVOKED; good per OCSP: checked', async () => {
  const revoked = leader({ ocsp: `${base}/ocsp` });
  const good = leader({ ocsp: `${base}/ocsp` }, 'Trần Thị Tốt');
  const answer = (who: TestIdentity, status: 'good' | 'revoked') => (): Buffer =>
    enc.makeOcspResponse(sub, { cert: who.cert, status, revokedAt: revokedBeforeSigning, producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour) });
  ocspAnswers.set(Certificate.fromDer(revoked.cert).serialNumberHex, answer(revoked, 'revoked'));
  ocspAnswers.set(Certificate.fromDer(good.cert).serialNumberHex, answer(good, 'good'));
  publishSubCrl([]);
  const r = await check(revoked, fetcher());
  expect(r.signatures[0]!.certificate).toBe('revoked');
  expect(codes(r, 1)).toContain('CERT_REVOKED');
  const g = await check(good, fetcher());
  expect(g.signatures[0]!.certificate).toBe('valid');
  expect(codes(g, 1)).not.toContain('REVOCATION_NOT_CHECKED');
});

test('a source that refuses connections: a warning that the verdict rests on what is known, verdict unchanged', async () => {
  const r = await check(leader({ crl: `${closedPortBase}/sub.crl` }), fetcher(), agency(`${closedPortBase}/sub.crl`));
  const f = r.findings.find((x) => x.code === 'REVOCATION_SOURCE_UNREACHABLE');
  expect(f).toMatchObject({ signature: 1, severity: 'warning' });
  expect(f!.message).toContain('kết luận chỉ dựa trên dữ liệu thu hồi đã có');
  expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
  expect(r.verdict).toBe('compliant');
});

test('a source that never answers is given up at the timeout', async () => {
  routes.set('/hang.crl', 'hang');
  publishSubCrl([]);
  const r = await check(leader({ crl: `${base}/hang.crl` }), fetcher({ timeoutMs: 300 }), agency(`${base}/hang.crl`));
  const f = r.findings.find((x) => x.code === 'REVOCATION_SOURCE_UNREACHABLE');
  expect(f?.detail).toMatch(/timed out/);
});

test('an oversize answer is refused', async () => {
  routes.set('/big.crl', { body: Buffer.alloc(200 * 1024, 0x30) });
  publishSubCrl([]);
  const r = await check(leader({ crl: `${base}/big.crl` }), fetcher({ maxCrlBytes: 64 * 1024 }), agency(`${base}/big.crl`));
  const f = r.findings.find((x) => x.code === 'REVOCATION_RESPONSE_INVALID');
  expect(f?.detail).toMatch(/limit/);
});

test('a CRL in the CA name but signed by another key is refused, and its revocation does not count', async () => {
  const who = leader({ crl: `${base}/forged.crl` });
  const forger = issueWithPkijs({ subject: { C: 'VN', O: BCY_O, CN: 'CA trực tuyến TEST' }, notBefore: new Date('2018-01-01'), notAfter: new Date('2048-01-01'), ca: true });
  const serial = BigInt(`0x${Certificate.fromDer(who.cert).serialNumberHex}`);
  routes.set('/forged.crl', { body: enc.makeCrl(forger, [{ serial, date: revokedBeforeSigning }], { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + hour) }) });
  publishSubCrl([]);
  const r = await check(who, fetcher(), agency(`${base}/forged.crl`));
  expect(r.signatures[0]!.certificate).toBe('valid');
  expect(r.findings.find((x) => x.code === 'REVOCATION_RESPONSE_INVALID')?.detail).toMatch(/signature/);
});

test("an OCSP 'good' in the CA's name but signed by another key is refused: it does not count as checked", async () => {
  const who = leader({ ocsp: `${base}/ocsp` }, 'Lê Văn Giả Mạo');
  const forger = issueWithPkijs({ subject: { C: 'VN', O: BCY_O, CN: 'CA trực tuyến TEST' }, notBefore: new Date('2018-01-01'), notAfter: new Date('2048-01-01'), ca: true });
  ocspAnswers.set(Certificate.fromDer(who.cert).serialNumberHex, () =>
    enc.makeOcspResponse(forger, { cert: who.cert, status: 'good', producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour) }),
  );
  // No CRL anywhere: the OCSP answer is the only source the leader's status could come from.
  const r = await check(who, fetcher(), agency(`${base}/none.crl`));
  // An attacker on the wire answers "good" for any certificate: that must never stand for a checked status.
  expect(codes(r, 1)).toEqual(expect.arrayContaining(['REVOCATION_RESPONSE_INVALID', 'REVOCATION_NOT_CHECKED']));
  // The control: the same answer signed by the CA itself is what makes the status checked.
  ocspAnswers.set(Certificate.fromDer(who.cert).serialNumberHex, () =>
    enc.makeOcspResponse(sub, { cert: who.cert, status: 'good', producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour) }),
  );
  const genuine = await check(who, fetcher(), agency(`${base}/none.crl`));
  expect(codes(genuine, 1)).not.toContain('REVOCATION_NOT_CHECKED');
  expect(codes(genuine, 1)).not.toContain('REVOCATION_RESPONSE_INVALID');
});

test("an OCSP 'good' from a responder the CA never delegated (its ocspSigning certificate issued by another key) is refused", async () => {
  const who = leader({ ocsp: `${base}/ocsp` }, 'Phạm Văn Ủy Quyền');
  const forger = issueWithPkijs({ subject: { C: 'VN', O: BCY_O, CN: 'CA trực tuyến TEST' }, notBefore: new Date('2018-01-01'), notAfter: new Date('2048-01-01'), ca: true });
  const responder = ocspResponder('OCSP trực tuyến TEST', forger);
  ocspAnswers.set(Certificate.fromDer(who.cert).serialNumberHex, () =>
    enc.makeOcspResponse(sub, { cert: who.cert, status: 'good', producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour), responder }),
  );
  const r = await check(who, fetcher(), agency(`${base}/none.crl`));
  expect(codes(r, 1)).toEqual(expect.arrayContaining(['REVOCATION_RESPONSE_INVALID', 'REVOCATION_NOT_CHECKED']));
});

test('a stale CRL (nextUpdate passed) is refused', async () => {
  routes.set('/stale.crl', { body: enc.makeCrl(sub, [], { thisUpdate: new Date(now.getTime() - 10 * 24 * hour), nextUpdate: new Date(now.getTime() - 3 * 24 * hour) }) });
  publishSubCrl([]);
  const r = await check(leader({ crl: `${base}/stale.crl` }), fetcher(), agency(`${base}/stale.crl`));
  expect(r.findings.find((x) => x.code === 'REVOCATION_RESPONSE_INVALID')?.detail).toMatch(/stale/);
  expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
});

test("a leader whose own source fails but whom the unit CRL another certificate names covers: checked, no warning", async () => {
  publishSubCrl([]);
  const r = await check(leader({ crl: `${closedPortBase}/sub.crl` }), fetcher());
  expect(codes(r, 1)).not.toContain('REVOCATION_SOURCE_UNREACHABLE');
  expect(codes(r, 1)).not.toContain('REVOCATION_NOT_CHECKED');
  expect(r.signatures[0]!.certificate).toBe('valid');
});

test('a second run with the same cache folder asks the network nothing', async () => {
  routes.set('/cached.crl', { body: enc.makeCrl(sub, [], { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + hour) }) });
  publishSubCrl([]);
  const who = leader({ crl: `${base}/cached.crl` });
  const org = agency();
  const cacheDir = path.join(tmp, 'shared-cache');
  const first = fetcher({ cacheDir });
  await check(who, first, org);
  expect(first.requests).toBeGreaterThan(0);
  const before = hits.get('/cached.crl');
  expect(before).toBe(1);
  const second = fetcher({ cacheDir });
  const r = await check(who, second, org);
  expect(second.requests).toBe(0);
  expect(hits.get('/cached.crl')).toBe(before);
  expect(codes(r)).not.toContain('REVOCATION_NOT_CHECKED');
});

test('through the verification pool, as `check --revocation online` and KIEMKY_REVOCATION=online run it', async () => {
  const who = leader({ crl: `${base}/sub.crl` });
  publishSubCrl([who]);
  const doc = makeUnitDocument({ unit: 0, so: 951, date: LEADER_AT, seed: 951 }, pki.units[0]!.name);
  const data = signAgency(signLeader(doc, who), agency());
  const online = new VerifyPool({ certsDir: trustDir, jobs: 1, revocation: { mode: 'online', cacheDir: path.join(tmp, 'pool-cache') } });
  const offline = new VerifyPool({ certsDir: trustDir, jobs: 1 });
  try {
    expect((await online.verify({ fileName: 'a.pdf', data })).signatures[0]!.certificate).toBe('revoked');
    expect((await offline.verify({ fileName: 'a.pdf', data })).signatures[0]!.certificate).toBe('valid');
  } finally {
    await online.close();
    await offline.close();
  }
});

test('kept with the facts: judged again later without the network, the fetched CRL still revokes, and the report names it', async () => {
  const who = leader({ crl: `${base}/sub.crl` });
  publishSubCrl([who]);
  const doc = makeUnitDocument({ unit: 0, so: 952, date: LEADER_AT, seed: 952 }, pki.units[0]!.name);
  const data = signAgency(signLeader(doc, who), agency());
  const verify = createVerifier(trustDir, { mode: 'online', cacheDir: path.join(tmp, 'facts-cache') }, true);
  const report = await verify(new BufferSource(data), { fileName: 'a.pdf' });
  expect(report.signatures[0]!.certificate).toBe('revoked');
  // As the service keeps it: through JSON, into the store.
  const record = JSON.parse(JSON.stringify(factsOf(report))) as FactsRecord;
  expect(record.fetched?.crls.length).toBeGreaterThan(0);
  expect(report.judgedWith?.revocation).toBe(fetchedVersion(record.fetched!));
  const client = await openSqlClient({ databaseUrl: null, dataDir: path.join(tmp, 'facts-db') });
  const store = new SqlStore(client);
  try {
    await store.migrate();
    await storeReported(store, report, 'a.pdf', 'online-b', 'earlier');
    const asked = [...hits.values()].reduce((a, b) => a + b, 0);
    const result = await rejudgeStored(store, { trust: loadTrustStore(trustDir) }, { batchId: 'online-b' });
    expect(result).toEqual({ judged: 1, changed: 0, failed: [] });
    expect([...hits.values()].reduce((a, b) => a + b, 0)).toBe(asked);
    const again = (await store.getDocument(report.sha256))!;
    expect(again.signatures[0]!.certificate).toBe('revoked');
    expect(again.verdict).toBe(report.verdict);
    expect(again.judgedWith?.revocation).toBe(fetchedVersion(record.fetched!));
    expect((await store.verdictHistory(report.sha256))[0]).toMatchObject({ revocation: fetchedVersion(record.fetched!) });
  } finally {
    await store.close();
  }
  // Control: the same facts without what was fetched do not know of the revocation — the kept data is what judges.
  const { fetched: _dropped, ...offline } = record;
  const bare = judgeDocument(fromFactsRecord(offline), loadTrustStore(trustDir), { now: LEADER_AT });
  expect(bare.signatures[0]!.certificate).not.toBe('revoked');
});

test('judged again online: a CRL published after verification is fetched, kept with the facts, and revokes', async () => {
  const who = leader({ crl: `${base}/sub.crl` });
  publishSubCrl([]);
  const doc = makeUnitDocument({ unit: 0, so: 953, date: LEADER_AT, seed: 953 }, pki.units[0]!.name);
  const data = signAgency(signLeader(doc, who), agency());
  const verify = createVerifier(trustDir, { mode: 'online', cacheDir: path.join(tmp, 'refresh-cache') }, true);
  const report = await verify(new BufferSource(data), { fileName: 'b.pdf' });
  expect(report.signatures[0]!.certificate).toBe('valid');
  const client = await openSqlClient({ databaseUrl: null, dataDir: path.join(tmp, 'refresh-db') });
  const store = new SqlStore(client);
  const ctx = { trust: loadTrustStore(trustDir) };
  const batchId = 'refresh-b';
  try {
    await store.migrate();
    await storeReported(store, report, 'b.pdf', batchId, 'earlier');
    // The CA now lists the signer, revoked before the signing.
    publishSubCrl([who]);
    // Offline, what was kept is judged: the CRL of then lists nobody.
    expect(await rejudgeStored(store, ctx, { batchId })).toMatchObject({ judged: 1, changed: 0 });
    // Online, the new CRL is fetched (a fetcher whose caches never held the old one) and judged with.
    expect(await rejudgeStored(store, ctx, { batchId }, { revocation: fetcher() })).toMatchObject({ judged: 1, changed: 1, failed: [] });
    const again = (await store.getDocument(report.sha256))!;
    expect(again.signatures[0]!.certificate).toBe('revoked');
    expect(again.verdict).toBe('noncompliant');
    expect(again.judgedWith?.revocation).toMatch(/^[0-9a-f]{64}$/);
    expect(again.judgedWith?.revocation).not.toBe(report.judgedWith?.revocation);
    const history = await store.verdictHistory(report.sha256);
    expect(history.map((h) => [h.reason, h.verdict, h.revocation])).toEqual([
      ['verified', report.verdict, report.judgedWith?.revocation],
      ['rejudged', 'noncompliant', again.judgedWith?.revocation],
    ]);
    const rows = (await store.streamBatchReport(batchId))!;
    for await (const row of rows.documents) expect(row.verdict).toBe('noncompliant');
    // Later, offline: the CRL fetched then was kept with the facts, so the revocation stands without the network.
    expect(await rejudgeStored(store, ctx, { batchId })).toMatchObject({ judged: 1, changed: 0 });
    expect((await store.getDocument(report.sha256))!.signatures[0]!.certificate).toBe('revoked');
    // Fetched again with nothing new: the record is not grown and the report not changed.
    expect(await rejudgeStored(store, ctx, { batchId }, { revocation: fetcher() })).toMatchObject({ judged: 1, changed: 0 });
  } finally {
    await store.close();
  }
});

test('a chain to no pinned root makes no request: its URLs are not a trusted CA\'s', async () => {
  const rogueRoot = issueWithPkijs({ subject: { C: 'VN', O: BCY_O, CN: 'Rogue TEST' }, notBefore: new Date('2018-01-01'), notAfter: new Date('2048-01-01'), ca: true });
  const rogue = issueWithPkijs({
    subject: { C: 'VN', CN: 'Người lạ' },
    issuer: rogueRoot,
    notBefore: new Date('2024-01-01'),
    notAfter: new Date('2028-12-31'),
    crlUrl: `${base}/rogue.crl`,
    ocspUrl: `${base}/rogue-ocsp`,
  });
  publishSubCrl([]);
  const r = await check(rogue, fetcher());
  expect(r.signatures[0]!.certificate).toBe('untrusted');
  expect(hits.get('/rogue.crl')).toBeUndefined();
  expect(hits.get('/rogue-ocsp')).toBeUndefined();
});

/** An empty CRL of the unit CA, fresh now: a source that works. */
const emptySubCrl = (): Buffer => enc.makeCrl(sub, [], { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + 24 * hour) });

test("a responder the CA delegated (issued by the CA, id-kp-OCSPSigning): its 'good' counts as checked, its 'revoked' makes CERT_REVOKED", async () => {
  // The code does not look for id-pkix-ocsp-nocheck (it does not check the responder's own revocation), so the
  // responder here carries only what the code does require: the CA's signature and the OCSPSigning purpose.
  const responder = ocspResponder('OCSP ủy quyền TEST', sub);
  const good = leader({ ocsp: `${base}/ocsp` }, 'Đỗ Văn Ủy Thác');
  const revoked = leader({ ocsp: `${base}/ocsp` }, 'Đỗ Thị Thu Hồi');
  const answer = (who: TestIdentity, status: 'good' | 'revoked'): Buffer =>
    enc.makeOcspResponse(sub, { cert: who.cert, status, revokedAt: revokedBeforeSigning, producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour), responder });
  // The control that this is the delegated path: the answer verifies with the responder's key, not the CA's.
  const subCert = Certificate.fromDer(sub.cert);
  expect(OcspResponse.fromDer(answer(good, 'good')).verifiedSigner(subCert)?.fingerprintSha256).toBe(Certificate.fromDer(responder.cert).fingerprintSha256);
  ocspAnswers.set(Certificate.fromDer(good.cert).serialNumberHex, () => answer(good, 'good'));
  ocspAnswers.set(Certificate.fromDer(revoked.cert).serialNumberHex, () => answer(revoked, 'revoked'));

  // No CRL anywhere: the responder's answer is the only source the leader's status could come from.
  const asked = hits.get('/ocsp') ?? 0;
  const g = await check(good, fetcher(), agency(`${base}/none.crl`));
  expect(hits.get('/ocsp')).toBeGreaterThan(asked);
  expect(g.signatures[0]!.certificate).toBe('valid');
  expect(codes(g, 1)).not.toContain('REVOCATION_NOT_CHECKED');
  expect(codes(g, 1)).not.toContain('REVOCATION_RESPONSE_INVALID');
  expect(codes(g, 1)).not.toContain('REVOCATION_SOURCE_UNREACHABLE');

  const r = await check(revoked, fetcher(), agency(`${base}/none.crl`));
  expect(r.signatures[0]!.certificate).toBe('revoked');
  expect(codes(r, 1)).toContain('CERT_REVOKED');
  expect(r.verdict).toBe('noncompliant');
});

test("an OCSP 'good' signed by a certificate the CA issued for something else (another signer, no OCSPSigning) is refused", async () => {
  // Every holder of a certificate from the CA has a key it signed: without the purpose check any of them could vouch for anyone.
  const who = leader({ ocsp: `${base}/ocsp` }, 'Bùi Văn Tự Nhận');
  const colleague = leader({}, 'Bùi Thị Đồng Nghiệp');
  ocspAnswers.set(Certificate.fromDer(who.cert).serialNumberHex, () =>
    enc.makeOcspResponse(sub, { cert: who.cert, status: 'good', producedAt: now, thisUpdate: now, nextUpdate: new Date(now.getTime() + hour), responder: colleague }),
  );
  const r = await check(who, fetcher(), agency(`${base}/none.crl`));
  expect(codes(r, 1)).toEqual(expect.arrayContaining(['REVOCATION_RESPONSE_INVALID', 'REVOCATION_NOT_CHECKED']));
});

test('a CRL behind a 301 then a relative 302 is fetched and used: a revocation in it counts', async () => {
  const who = leader({ crl: `${base}/moved.crl` }, 'Lý Văn Chuyển Hướng');
  const serial = BigInt(`0x${Certificate.fromDer(who.cert).serialNumberHex}`);
  routes.set('/moved.crl', { redirect: `${base}/moved-again.crl`, status: 301 });
  routes.set('/moved-again.crl', { redirect: '/served.crl', status: 302 });
  routes.set('/served.crl', { body: enc.makeCrl(sub, [{ serial, date: revokedBeforeSigning, reason: 1 }], { thisUpdate: new Date(now.getTime() - hour), nextUpdate: new Date(now.getTime() + hour) }) });
  const r = await check(who, fetcher(), agency(`${base}/moved.crl`));
  expect(hits.get('/served.crl')).toBeGreaterThan(0);
  expect(codes(r, 1)).not.toContain('REVOCATION_SOURCE_UNREACHABLE');
  expect(r.signatures[0]!.certificate).toBe('revoked');
  expect(codes(r, 1)).toContain('CERT_REVOKED');
  // The agency, not listed, is checked by the same redirected CRL.
  expect(codes(r, 2)).not.toContain('REVOCATION_NOT_CHECKED');
});

test('a redirect loop is given up after a few hops: a warning, and the verdict rests on what is known', async () => {
  routes.set('/loop-a.crl', { redirect: '/loop-b.crl', status: 302 });
  routes.set('/loop-b.crl', { redirect: `${base}/loop-a.crl`, status: 301 });
  const r = await check(leader({ crl: `${base}/loop-a.crl` }), fetcher(), agency(`${base}/loop-a.crl`));
  const asked = (hits.get('/loop-a.crl') ?? 0) + (hits.get('/loop-b.crl') ?? 0);
  // Followed, but not for ever: one fetch for both certificates (shared, then remembered), a handful of hops.
  expect(asked).toBeGreaterThanOrEqual(2);
  expect(asked).toBeLessThanOrEqual(5);
  const f = r.findings.find((x) => x.signature === 1 && x.code === 'REVOCATION_SOURCE_UNREACHABLE');
  expect(f?.detail).toMatch(/redirects/);
  expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
  expect(r.signatures.map((s) => s.certificate)).toEqual(['valid', 'valid']);
  expect(r.verdict).toBe('compliant');
});

test('a redirect to file: or ldap: is refused, even when the file holds a good CRL', async () => {
  const onDisk = path.join(tmp, 'sub-on-disk.crl');
  fs.writeFileSync(onDisk, emptySubCrl());
  routes.set('/to-file.crl', { redirect: `file://${onDisk}`, status: 302 });
  routes.set('/to-ldap.crl', { redirect: 'ldap://127.0.0.1/cn=CA,o=BCY?certificateRevocationList;binary', status: 301 });
  const r = await check(leader({ crl: [`${base}/to-file.crl`, `${base}/to-ldap.crl`] }), fetcher(), agency(`${base}/to-file.crl`));
  const details = r.findings.filter((x) => x.signature === 1 && x.code === 'REVOCATION_SOURCE_UNREACHABLE').map((x) => x.detail);
  expect(details).toEqual([expect.stringMatching(/to-file\.crl.*unsupported source redirect: file:/), expect.stringMatching(/to-ldap\.crl.*unsupported source redirect: ldap:/)]);
  // Had the file been read, the leader would count as checked.
  expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
  expect(r.signatures[0]!.certificate).toBe('valid');
});

test("a certificate whose many sources all hang is given up after the per-certificate budget: later sources are reported, not asked", async () => {
  const sources = [...Array.from({ length: 10 }, (_, i) => `${base}/slow-${i}.crl`), `${base}/slow-ocsp`];
  for (const u of sources) routes.set(new URL(u).pathname, 'hang');
  const who = leader({ crl: sources.slice(0, -1), ocsp: sources.at(-1)! }, 'Vũ Văn Chậm');
  const timeoutMs = 150;
  const f = fetcher({ timeoutMs });
  const started = Date.now();
  const out = await f.fetch([{ certificate: Certificate.fromDer(who.cert), issuer: Certificate.fromDer(sub.cert) }]);
  const elapsed = Date.now() - started;
  // Every source is reported, in the order the certificate names them, each as asked-and-timed-out or not asked.
  expect(out.problems.map((p) => p.url)).toEqual(sources);
  const asked = out.problems.filter((p) => /timed out/.test(p.reason)).map((p) => p.url);
  const skipped = out.problems.filter((p) => /not asked/.test(p.reason)).map((p) => p.url);
  expect(asked.length + skipped.length).toBe(sources.length);
  expect(out.problems.every((p) => p.code === 'REVOCATION_SOURCE_UNREACHABLE')).toBe(true);
  // The budget is three timeouts: three sources asked, a fourth when timers run late, never the whole list in turn.
  expect(asked.length).toBeGreaterThanOrEqual(1);
  expect(asked.length).toBeLessThanOrEqual(4);
  expect(asked).toEqual(sources.slice(0, asked.length));
  expect(f.requests).toBe(asked.length);
  for (const u of skipped) expect(hits.get(new URL(u).pathname)).toBeUndefined();
  // Generous: one timeout per source in turn would be 1650 ms; the budget gives ~450-600 ms.
  expect(elapsed).toBeLessThan(sources.length * timeoutMs);
});

test('a source that failed is not asked again by the next document of the batch (same CA, other signers), CRL and OCSP alike', async () => {
  routes.set('/dead.crl', 'hang');
  routes.set('/dead-ocsp', 'hang');
  const f = fetcher({ timeoutMs: 200 });
  const document = (person: string): Promise<DocumentReport> => check(leader({ crl: `${base}/dead.crl`, ocsp: `${base}/dead-ocsp` }, person), f, agency(`${base}/dead.crl`));
  const first = await document('Hoàng Văn Một');
  expect(hits.get('/dead.crl')).toBe(1);
  expect(hits.get('/dead-ocsp')).toBe(1);
  const requests = f.requests;
  const second = await document('Hoàng Văn Hai');
  // The OCSP question differs (another certificate), but the responder is the same dead one: not asked again.
  expect(hits.get('/dead.crl')).toBe(1);
  expect(hits.get('/dead-ocsp')).toBe(1);
  expect(f.requests).toBe(requests);
  // Not asked is not answered: the second document is still told its sources failed, and why.
  for (const r of [first, second]) {
    expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
    const details = r.findings.filter((x) => x.signature === 1 && x.code === 'REVOCATION_SOURCE_UNREACHABLE').map((x) => x.detail);
    expect(details).toEqual([expect.stringMatching(/dead\.crl.*timed out/), expect.stringMatching(/dead-ocsp.*timed out/)]);
  }
});

test('an https source is spoken to over TLS, and one whose certificate the system does not trust is not read', async () => {
  // Revocation data carries its own signature, checked against the CA whatever the transport, so TLS verification is
  // not what protects a verdict; http-fetch keeps Node's default verification all the same (see the comment there).
  // This holds that choice in place: the self-signed loopback server below serves a good CRL, and reading it would
  // make the leader checked.
  const tlsIdentity = issueWithPkijs({ subject: { CN: '127.0.0.1' }, notBefore: new Date('2024-01-01'), notAfter: new Date('2030-01-01'), keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'] });
  let served = 0;
  const tls = https.createServer(
    { key: tlsIdentity.key.export({ type: 'pkcs8', format: 'pem' }), cert: new X509Certificate(tlsIdentity.cert).toString() },
    (_req, res) => {
      served++;
      res.writeHead(200);
      res.end(emptySubCrl());
    },
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/sub.crl`;
  try {
    const r = await check(leader({ crl: url }), fetcher(), agency(url));
    // A certificate error, not a protocol one: the client did a TLS handshake.
    expect(r.findings.find((x) => x.signature === 1 && x.code === 'REVOCATION_SOURCE_UNREACHABLE')?.detail).toMatch(/certificate/);
    expect(codes(r, 1)).toContain('REVOCATION_NOT_CHECKED');
    expect(served).toBe(0);
  } finally {
    tls.closeAllConnections();
    await new Promise<void>((resolve) => tls.close(() => resolve()));
  }
});
