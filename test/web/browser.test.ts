import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { ACCOUNTS, type Account, chromiumAvailable, fillSignIn, launchChromium, PASSWORD, startWebService, UNITS, type WebService } from '../../bench/web/harness';

/**
 * Each role's main path in a real browser (Debian's Chromium) against `kiemky serve` on the embedded default, with
 * the sample month verified for real: the clerk signs in, uploads the month's PDFs and the register, and sees
 * "Hoàn thành" and the unit summary; the leader's dashboard; the inspector's matrix; the admin makes an account and
 * reads and replaces the unit registry.
 * And the access rules as a person meets them: no session → the sign-in page; a clerk cannot open the admin page
 * nor another unit's documents. Without Chromium these skip, saying so — except under CI, where that fails.
 */

const present = chromiumAvailable();
if (!present && process.env.CI === 'true') throw new Error('CI=true but Chromium is not installed at /usr/bin/chromium (apt-get install chromium)');
if (!present) process.stderr.write('test/web/browser.test.ts: skipped, no Chromium at /usr/bin/chromium (apt-get install chromium)\n');
const maybe = present ? describe : describe.skip;

jest.setTimeout(240_000);

maybe('the web app in Chromium', () => {
  let service: WebService;
  let browser: Browser;
  let batchUrl = '';
  let documentUrl = '';
  const errors: string[] = [];

  beforeAll(async () => {
    service = await startWebService();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function signIn(account: Account, path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    // A policy violation or a script error is a failure of the page, whatever it shows.
    page.on('console', (m) => {
      // A registry the server refuses (400) is what the unit registry page is tested to show, not a fault of it.
      const refusedRegistry = /status of 400/.test(m.text()) && m.location().url.endsWith('/api/admin/units');
      if (m.type() === 'error' && !/status of (401|403|404|429)/.test(m.text()) && !refusedRegistry) errors.push(`${account.username} ${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${account.username} ${page.url()}: ${e.message}`));
    await page.goto(`${service.url}${path}`);
    await page.waitForURL(/\/dang-nhap/);
    await fillSignIn(page, account);
    return page;
  }

  test('no session: a page sends to the sign-in page, and a wrong password says so in plain words', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/tong-hop?from=2026-11&to=2026-11`);
    await page.waitForURL(/\/dang-nhap\?next=/);
    await page.getByLabel('Tên đăng nhập').fill(ACCOUNTS.leader.username);
    await page.getByLabel('Mật khẩu').fill('sai-mật-khẩu');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng', { exact: false }).waitFor();
    // By keyboard alone: the error summary's link leads to the field, Tab and Enter do the rest.
    await page.getByRole('alert').getByRole('link').press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tong-hop\?from=2026-11&to=2026-11$/);
    // Nothing uploaded yet: the dashboard says so.
    await page.getByRole('heading', { name: 'Tổng hợp tỷ lệ ký số' }).waitFor();
    await page.getByText('Không có văn bản nào trong khoảng này.').waitFor();
    await page.close();
  });

  test('clerk: uploads the month, follows the verification to "Hoàn thành", reads the summary and a document', async () => {
    const page = await signIn(ACCOUNTS.clerk, '/tai-len');
    expect(new URL(page.url()).pathname).toBe('/tai-len');
    await page.getByLabel('Văn bản (PDF hoặc ZIP)').setInputFiles(service.pdfs);
    await page.getByLabel('Sổ đăng ký (CSV hoặc XLSX)').setInputFiles(service.register);
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.waitForURL(/\/lo\/[A-Za-z0-9_-]+$/, { timeout: 60_000 });
    batchUrl = page.url();
    await page.getByText('Hoàn thành', { exact: true }).first().waitFor({ timeout: 180_000 });
    const summary = page.getByRole('table', { name: 'Tổng hợp theo đơn vị' });
    await summary.waitFor();
    const headers = await summary.locator('thead th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Đơn vị', '% Đã ký', '% 2 lớp', '% CA Chính phủ', '% Đạt']));
    const rows = await summary.locator('tbody tr').count();
    expect(rows).toBe(4);
    // Percentages with a decimal comma.
    const total = await summary.locator('tfoot tr').innerText();
    expect(total).toMatch(/\d+,\d/);
    // The documents, with the register's numbers; one opens the document page.
    const documents = page.getByRole('table', { name: 'Văn bản' });
    await documents.waitFor();
    expect(await documents.locator('tbody tr').count()).toBeGreaterThan(10);
    await page.getByLabel('Kết quả').selectOption('noncompliant');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.waitForURL(/verdict=noncompliant/);
    await documents.locator('tbody tr').first().waitFor();
    const verdicts = await documents.locator('tbody tr td:nth-child(5)').allTextContents();
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new Set(verdicts)).toEqual(new Set(['Không đạt']));
    await documents.locator('tbody tr a').first().click();
    await page.waitForURL(/\/van-ban\/[0-9a-f]{64}/);
    documentUrl = page.url();
    await page.getByRole('heading', { name: 'Phát hiện' }).waitFor();
    await page.getByRole('heading', { name: 'Chữ ký', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Chữ ký 1' }).waitFor();
    expect(await page.locator('main').innerText()).toMatch(/Nhà cung cấp[\s\S]*Thời điểm ký[\s\S]*\d{2}\/\d{2}\/2026 \d{2}:\d{2}/);
    // The clerk's batches list holds this batch.
    await page.goto(`${service.url}/lo`);
    await page.getByRole('table', { name: 'Các lô đã tải lên' }).waitFor();
    expect(await page.locator(`a[href="${new URL(batchUrl).pathname}"]`).count()).toBe(1);
    // At phone width the page does not get wider than the phone: wide tables scroll within themselves.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(batchUrl);
    await page.getByRole('table', { name: 'Văn bản' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // The documents become cards: each verdict is on screen without scrolling sideways, named by its column.
    const verdict = page.getByRole('table', { name: 'Văn bản' }).locator('tbody tr').first().locator('td[data-label="Kết quả"]');
    const box = await verdict.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1366, height: 768 });
    // A clerk may not open the admin page: the server answers 403 and the page says why.
    const admin = await page.goto(`${service.url}/quan-tri`);
    expect(admin?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Bạn không có quyền mở trang này' }).waitFor();
    await page.context().close();
  });

  test("a clerk of another unit sees neither the batch nor the document", async () => {
    expect(batchUrl).not.toBe('');
    const page = await signIn(ACCOUNTS.otherClerk, new URL(documentUrl).pathname);
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(/Chữ ký 1/);
    await page.goto(batchUrl);
    await page.getByRole('heading', { name: 'Không tìm thấy trang' }).waitFor();
    expect(await page.getByRole('table', { name: 'Tổng hợp theo đơn vị' }).count()).toBe(0);
    await page.context().close();
  });

  test('leader: the dashboard for November 2026 ranks the four units, with its charts', async () => {
    const page = await signIn(ACCOUNTS.leader, '/tong-hop?from=2026-11&to=2026-11');
    expect(new URL(page.url()).pathname).toBe('/tong-hop');
    const summary = page.getByRole('table', { name: 'Tổng hợp theo đơn vị' });
    await summary.waitFor();
    expect(await summary.locator('tbody tr').count()).toBe(4);
    expect(await summary.locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['Hạng', 'Đơn vị', '% Đạt']));
    expect(await page.locator('canvas').count()).toBe(2);
    // Nothing was checked in October: the page says there is nothing to compare with, not "% Đạt — điểm".
    expect(await page.locator('main').innerText()).toContain('Kỳ trước (10/2026–10/2026) chưa có văn bản nào được kiểm tra');
    expect(await page.locator('main').innerText()).not.toMatch(/— điểm/);
    // The English switch is remembered across pages, and switches back.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Signing rates' }).waitFor();
    await page.goto(`${service.url}/nha-cung-cap?from=11/2026&to=11/2026`);
    await page.getByRole('table', { name: 'Units × certificate providers' }).waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('table', { name: 'Đơn vị × nhà cung cấp chứng thư số' }).waitFor();
    // Leaders do not upload.
    const upload = await page.goto(`${service.url}/tai-len`);
    expect(upload?.status()).toBe(403);
    await page.context().close();
  });

  test('inspector: the units × providers matrix, commercial cells said in words, a cell opens its documents', async () => {
    const page = await signIn(ACCOUNTS.inspector, '/nha-cung-cap?from=2026-11&to=2026-11');
    const matrix = page.getByRole('table', { name: 'Đơn vị × nhà cung cấp chứng thư số' });
    await matrix.waitFor();
    expect(await matrix.locator('tbody tr').count()).toBe(4);
    expect(await matrix.innerText()).toContain('thương mại');
    await matrix.locator('tbody a').first().click();
    await page.waitForURL(/\/van-ban\?/);
    await page.getByRole('table', { name: 'Văn bản' }).locator('tbody tr').first().waitFor();
    // The certificate inventory, and every batch of every unit (the clerk's among them).
    await page.goto(`${service.url}/chung-thu?from=2026-11&to=2026-11`);
    const certificates = page.getByRole('table', { name: 'Chứng thư số đã gặp' });
    await certificates.waitFor();
    expect(await certificates.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await certificates.innerText()).toContain('Hết hạn');
    await page.goto(`${service.url}/lo`);
    await page.locator(`a[href="${new URL(batchUrl).pathname}"]`).waitFor();
    await page.context().close();
  });

  test('admin: creates an account, which can then sign in', async () => {
    const page = await signIn(ACCOUNTS.admin, '/quan-tri');
    await page.getByRole('table', { name: 'Tài khoản' }).waitFor();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Tạo tài khoản' }) });
    await form.getByLabel('Tên đăng nhập').fill('lanhdao.moi');
    await form.getByLabel('Mật khẩu').fill(PASSWORD);
    await form.getByLabel('Vai trò').selectOption('leader');
    await form.getByRole('button', { name: 'Tạo' }).click();
    await page.getByRole('table', { name: 'Tài khoản' }).getByRole('rowheader', { name: 'lanhdao.moi' }).waitFor();
    // Signing out ends the session on the server: the admin page sends to the sign-in page again.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/dang-nhap$/);
    await page.goto(`${service.url}/quan-tri`);
    await page.waitForURL(/\/dang-nhap\?next=%2Fquan-tri$/);
    // Where to go after signing in is a path of this site only, never another site.
    await page.goto(`${service.url}/dang-nhap?next=${encodeURIComponent('//evil.example/x')}`);
    await page.getByLabel('Tên đăng nhập').fill(ACCOUNTS.admin.username);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/quan-tri$/);
    expect(new URL(page.url()).origin).toBe(service.url);
    await page.context().close();
    const again = await signIn({ username: 'lanhdao.moi', role: 'leader', units: [] }, '/');
    await again.waitForURL(/\/tong-hop/);
    await again.context().close();
  });

  test('admin: the unit registry page shows the registry the API holds, explains a refused file, takes a good one', async () => {
    const fp = (seed: string): string => createHash('sha256').update(seed).digest('hex');
    const [head, part] = [UNITS[0]!, UNITS[1]!];
    const registry = {
      version: 2,
      units: [
        {
          name: head,
          aliases: ['UY BAN NHAN DAN THU NGHIEM'],
          agencyCertificates: [fp('con dấu')],
          signers: [
            { name: 'Nguyễn Văn A', title: 'Chủ tịch', from: '2021-07-01' },
            { name: 'Trần Thị B', title: 'Phó Chủ tịch', certificates: [fp('chứng thư B')], from: '2024-01-15', to: '2026-06-30' },
          ],
        },
        { name: part, parent: head, agencyCertificates: [] },
      ],
    };
    const page = await signIn(ACCOUNTS.admin, '/quan-tri/don-vi');
    expect(new URL(page.url()).pathname).toBe('/quan-tri/don-vi');
    // Nothing set yet: the page says what the registry is for and the two ways to add one.
    await page.getByRole('heading', { name: 'Chưa có danh mục đơn vị' }).waitFor();
    expect(await page.locator('main').innerText()).toMatch(/UNITS_FILE[\s\S]*tải tệp lên/);
    // Among the admin's links, and the one marked as this page (not Quản trị as well).
    const nav = page.getByRole('navigation', { name: 'Trang' });
    expect(await nav.getByRole('link', { name: 'Danh mục đơn vị' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Quản trị' }).getAttribute('aria-current')).toBeNull();

    // A registry set through the API is what the page shows.
    const { csrfToken } = (await (await page.request.get(`${service.url}/api/session`)).json()) as { csrfToken: string };
    const headers = { 'X-CSRF-Token': csrfToken };
    const put = await page.request.put(`${service.url}/api/admin/units`, { data: registry, headers });
    expect(put.status()).toBe(200);
    const stored = (await put.json()) as { version: string };
    await page.reload();
    const table = page.getByRole('table', { name: 'Các đơn vị trong danh mục' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(2);
    const main = await page.locator('main').innerText();
    expect(main).toContain(`${stored.version.slice(0, 12)}…`);
    expect(main).toContain('Tải lên bởi quantri');
    const first = table.locator('tbody tr').first();
    const firstText = await first.innerText();
    for (const text of [head, 'UY BAN NHAN DAN THU NGHIEM', '1 chứng thư', 'Nguyễn Văn A, Chủ tịch', 'từ 01/07/2021, đang đương nhiệm', 'Trần Thị B, Phó Chủ tịch', 'từ 15/01/2024 đến 30/06/2026']) {
      expect(firstText).toContain(text);
    }
    // A fingerprint is shown shortened; the whole of it opens by keyboard.
    const seal = fp('con dấu');
    expect(firstText).toContain(`${seal.slice(0, 8)}…${seal.slice(-8)}`);
    const full = first.locator('details.hash', { hasText: seal.slice(0, 8) });
    expect(await full.locator('code').isVisible()).toBe(false);
    await full.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await full.locator('code').innerText()).toBe(seal);
    const second = await table.locator('tbody tr').nth(1).innerText();
    expect(second).toContain(part);
    expect(second).toContain(head);
    expect(second).toContain('Chưa khai báo (không kiểm tra người ký)');

    // A file the server refuses: its message in the error summary at the top, the registry in use still shown.
    const bad = { version: 2, units: [{ name: 'Phòng sai', agencyCertificates: ['abc'] }] };
    const refused = await page.request.put(`${service.url}/api/admin/units`, { data: bad, headers });
    expect(refused.status()).toBe(400);
    const serverMessage = ((await refused.json()) as { error: { message: string } }).error.message;
    expect(serverMessage).toContain('agencyCertificates[0]');
    const fileInput = page.getByLabel('Tệp danh mục (JSON)');
    const submit = page.getByRole('button', { name: 'Tải lên và thay danh mục' });
    await fileInput.setInputFiles({ name: 'sai.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await submit.click();
    const summary = page.getByRole('alert');
    await summary.getByRole('heading', { name: 'Có vấn đề' }).waitFor();
    expect(await summary.innerText()).toContain(serverMessage);
    expect(await summary.innerText()).toContain('Danh mục đang dùng không thay đổi');
    expect(await page.evaluate('document.activeElement && document.activeElement.className')).toBe('error-summary');
    expect(await table.locator('tbody tr').count()).toBe(2);
    // The summary's link leads to the file field.
    await summary.getByRole('link').press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('units-file');
    // A file that is not JSON is named, with how to fix it, before anything is sent.
    await fileInput.setInputFiles({ name: 'hong.json', mimeType: 'application/json', buffer: Buffer.from('{"units": [') });
    await submit.click();
    await summary.getByText('Tệp "hong.json" không phải JSON hợp lệ', { exact: false }).waitFor();

    // A good file replaces the registry: the confirmation names the new version, the table follows.
    const next = { ...registry, units: [...registry.units, { name: UNITS[2]!, parent: head, agencyCertificates: [fp('con dấu 2')] }] };
    await fileInput.setInputFiles({ name: 'danh-muc.json', mimeType: 'application/json', buffer: Buffer.from(`\ufeff${JSON.stringify(next, null, 2)}`) });
    await submit.click();
    const done = page.locator('.confirmation');
    await done.getByRole('heading', { name: 'Đã thay danh mục đơn vị' }).waitFor();
    const now = (await (await page.request.get(`${service.url}/api/admin/units`)).json()) as { version: string; registry: { units: unknown[] } };
    expect(now.version).not.toBe(stored.version);
    expect(now.registry.units).toHaveLength(3);
    expect(await done.innerText()).toContain(`Phiên bản mới: ${now.version.slice(0, 12)}…, 3 đơn vị.`);
    expect(await done.innerText()).toContain('tự kiểm tra lại');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await table.locator('tbody tr').count()).toBe(3);
    // On a phone the registry becomes cards: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await table.waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.context().close();
  });

  test('a non-admin cannot open the unit registry page, is not offered it, and the API refuses them', async () => {
    const page = await signIn(ACCOUNTS.inspector, '/quan-tri/don-vi');
    await page.getByRole('heading', { name: 'Bạn không có quyền mở trang này' }).waitFor();
    const opened = await page.goto(`${service.url}/quan-tri/don-vi`);
    expect(opened?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Bạn không có quyền mở trang này' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Danh mục đơn vị' }).count()).toBe(0);
    expect(await page.locator('table').count()).toBe(0);
    const api = await page.request.get(`${service.url}/api/admin/units`);
    expect(api.status()).toBe(403);
    await page.context().close();
  });

  test('repeated wrong passwords: the page says to wait, and for how long', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/dang-nhap`);
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('Tên đăng nhập').fill(ACCOUNTS.otherClerk.username);
      await page.getByLabel('Mật khẩu').fill(`sai-mật-khẩu-${i}`);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('alert').waitFor();
      await page.getByRole('button', { name: 'Đăng nhập' }).and(page.locator(':enabled')).waitFor();
    }
    expect(await page.getByRole('alert').innerText()).toMatch(/Đã đăng nhập sai quá nhiều lần\. Hãy đợi \d+ giây rồi thử lại\./);
    await page.close();
  });

  test('no script error and no policy violation on any page visited', () => {
    expect(errors).toEqual([]);
  });
});
