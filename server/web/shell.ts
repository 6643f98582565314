import type { WebManifest } from './manifest';

/**
 * The one HTML document every page path answers with. It holds no data and no inline script or style: the client
 * script (named in the manifest) reads the path and asks the API for what the page shows. `status` tells the client
 * that the server refused the page (403) so it shows why instead of the page.
 */

const TITLE = 'Kiểm tra chữ ký số văn bản đi';

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function shellHtml(manifest: WebManifest, status: 'ok' | 'forbidden' = 'ok'): string {
  const fallback =
    status === 'forbidden'
      ? '<h1>Bạn không có quyền mở trang này</h1><p>Tài khoản của bạn không được mở trang này. <a href="/">Về trang chủ</a></p>'
      : '<p>Trang này cần JavaScript. Hãy bật JavaScript trong trình duyệt rồi tải lại trang.</p>';
  return [
    '<!doctype html>',
    '<html lang="vi">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${TITLE}</title>`,
    `<link rel="stylesheet" href="/assets/${attr(manifest.style)}">`,
    `<script defer src="/assets/${attr(manifest.script)}"></script>`,
    '</head>',
    `<body data-status="${status}">`,
    `<div id="app"><main id="main">${status === 'forbidden' ? fallback : `<noscript>${fallback}</noscript>`}</main></div>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
