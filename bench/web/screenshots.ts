import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadTestPki } from '../../samples/lib/test-pki';
import { ACCOUNTS, type Account, chromiumAvailable, CHROMIUM, fillSignIn, launchChromium, startWebService, type WebService } from './harness';

/**
 * `npm run screenshots`: docs/screenshots/*.png of each page for each role, on the sample month verified for real,
 * with the browser tests' setup (bench/web/harness.ts). The README shows them.
 */

const OUT = path.resolve(__dirname, '..', '..', ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []), 'docs', 'screenshots');
const RANGE = 'from=2026-11&to=2026-11';

async function signedIn(browser: Browser, service: WebService, account: Account, width = 1366, height = 768): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await page.goto(`${service.url}/dang-nhap`);
  await fillSignIn(page, account);
  return page;
}

async function shot(page: Page, name: string, url: string | null, ready: string): Promise<void> {
  if (url) await page.goto(url);
  await page.locator(ready).first().waitFor({ timeout: 120_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

/** The sample units as an admin would register them: each with its seal's certificate, the leader who signs, one unit under another. */
function sampleRegistry(): unknown {
  const fingerprint = (der: Buffer): string => createHash('sha256').update(der).digest('hex');
  const [head, ...rest] = loadTestPki().units;
  const unit = (u: NonNullable<typeof head>, parent?: string): Record<string, unknown> => ({
    name: u.name,
    ...(parent ? { parent } : {}),
    agencyCertificates: [fingerprint(u.agency.cert)],
    signers: [{ name: 'Nguyễn Văn An', title: 'Chủ tịch', certificates: [fingerprint(u.leader.cert)], from: '2021-07-01' }],
  });
  return { version: 2, units: [unit(head!), ...rest.slice(0, 2).map((u) => unit(u, head!.name))] };
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  fs.mkdirSync(OUT, { recursive: true });
  const service = await startWebService();
  const browser = await launchChromium();
  try {
    const anon = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await shot(anon, 'dang-nhap', `${service.url}/dang-nhap`, 'form');
    await anon.close();

    const clerk = await signedIn(browser, service, ACCOUNTS.clerk);
    await shot(clerk, 'van-thu-tai-len', `${service.url}/tai-len`, 'form');
    await clerk.getByLabel('Văn bản (PDF hoặc ZIP)').setInputFiles(service.pdfs);
    await clerk.getByLabel('Sổ đăng ký (CSV hoặc XLSX)').setInputFiles(service.register);
    await clerk.getByRole('button', { name: 'Kiểm tra' }).click();
    await clerk.waitForURL(/\/lo\/[A-Za-z0-9_-]+$/);
    const batch = clerk.url();
    await clerk.locator('table.documents').waitFor({ timeout: 120_000 });
    await shot(clerk, 'van-thu-lo', null, 'table.summary');
    await shot(clerk, 'van-thu-lo-cac-lo', `${service.url}/lo`, 'table');
    await clerk.goto(batch);
    await clerk.locator('table.documents tbody tr a').first().waitFor();
    const noncompliant = `${batch}?verdict=noncompliant`;
    await clerk.goto(noncompliant);
    await clerk.locator('table.documents tbody tr a').first().click();
    await shot(clerk, 'van-thu-van-ban', null, '.signature, main p');
    await clerk.context().close();

    const phone = await signedIn(browser, service, ACCOUNTS.clerk, 390, 844);
    await phone.goto(batch);
    await phone.locator('table.documents').waitFor();
    await shot(phone, 'van-thu-lo-dien-thoai', null, 'table.summary');
    await phone.context().close();

    const leader = await signedIn(browser, service, ACCOUNTS.leader);
    await shot(leader, 'lanh-dao-tong-hop', `${service.url}/tong-hop?${RANGE}`, 'canvas');
    await leader.context().close();

    const inspector = await signedIn(browser, service, ACCOUNTS.inspector);
    await shot(inspector, 'thanh-tra-nha-cung-cap', `${service.url}/nha-cung-cap?${RANGE}`, 'table.matrix');
    await shot(inspector, 'thanh-tra-chung-thu', `${service.url}/chung-thu?${RANGE}`, 'main table, main p');
    await shot(inspector, 'thanh-tra-cac-lo', `${service.url}/lo`, 'table');
    await inspector.context().close();

    const admin = await signedIn(browser, service, ACCOUNTS.admin);
    await shot(admin, 'quan-tri', `${service.url}/quan-tri`, 'section.admin-section table');
    const { csrfToken } = (await (await admin.request.get(`${service.url}/api/session`)).json()) as { csrfToken: string };
    const put = await admin.request.put(`${service.url}/api/admin/units`, { data: sampleRegistry(), headers: { 'X-CSRF-Token': csrfToken } });
    if (put.status() !== 200) throw new Error(`PUT /api/admin/units: ${put.status()} ${await put.text()}`);
    await shot(admin, 'quan-tri-don-vi', `${service.url}/quan-tri/don-vi`, 'table.registry');
    await admin.context().close();

    const adminPhone = await signedIn(browser, service, ACCOUNTS.admin, 390, 844);
    await shot(adminPhone, 'quan-tri-don-vi-dien-thoai', `${service.url}/quan-tri/don-vi`, 'table.registry');
    await adminPhone.context().close();
  } finally {
    await browser.close();
    await service.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
