import type { Browser, Page } from 'playwright-core';
import { ACCOUNTS, type Account, chromiumAvailable, fillSignIn, launchChromium, PASSWORD, startWebService, type WebService } from '../../bench/web/harness';

/**
 * Each role's main path in a real browser (Debian's Chromium) against `kiemky serve` on the embedded default, with
 * the sample month verified for real: the clerk signs in, uploads the month's PDFs and the register, and sees
 * "Hoàn thành" and the unit summary; the leader's dashboard; the inspector's matrix; the admin makes an account.
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
      if (m.type() === 'error' && !/status of (401|403|404|429)/.test(m.text())) errors.push(`${account.username} ${page.url()}: ${m.text()}`);
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
