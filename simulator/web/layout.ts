/**
 * The web view's page shell: styles, breadcrumb, and the one inline script that keeps a page current. The script
 * polls /_web/live for a version of the page's <main> and, when it changes, fetches the page again and swaps
 * <main> in place (no reload, scroll position kept). The Content-Security-Policy allows exactly that script (by
 * hash), same-origin fetches, inline styles and data: images; item bodies are in sandboxed srcdoc frames, which
 * inherit this policy and add their own.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './html';

export const LIVE_PATH = '/_web/live';

const LIVE_SCRIPT = `(() => {
  const main = () => document.querySelector('main');
  const poll = async () => {
    try {
      const res = await fetch('${LIVE_PATH}?path=' + encodeURIComponent(location.pathname), { cache: 'no-store' });
      const { version } = await res.json();
      if (version !== main().dataset.version) {
        const page = await fetch(location.href, { cache: 'no-store' });
        const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
        const next = doc.querySelector('main');
        if (next) main().replaceWith(document.adoptNode(next));
        document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
      }
      document.body.dataset.live = 'ok';
    } catch {
      document.body.dataset.live = 'offline';
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
})();`;

const SCRIPT_HASH = createHash('sha256').update(LIVE_SCRIPT).digest('base64');

export const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${SCRIPT_HASH}'`,
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  'img-src data: cid:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every web-view page. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': PAGE_CSP,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:.6em 1.2em;display:flex;gap:1em;align-items:baseline}
header a{color:#fff;text-decoration:none;font-weight:600}header nav{color:#c9d1d9}header nav a{font-weight:400;color:#c9d1d9}
main{padding:1em 1.2em;max-width:1200px}h1{font-size:1.35em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.2em 0 .4em}
table{border-collapse:collapse;background:#fff;width:100%}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2;font-weight:600}tr:hover td{background:#f3f6f9}a{color:#0969da}
.muted{color:#57606a}.count{color:#57606a;font-variant-numeric:tabular-nums}.empty{color:#57606a;font-style:italic}
dl.headers{display:grid;grid-template-columns:max-content 1fr;gap:2px 1em;background:#fff;padding:.6em 1em;border:1px solid #d0d7de}
dl.headers dt{font-weight:600;color:#57606a}dl.headers dd{margin:0;word-break:break-word}
iframe.body{width:100%;height:420px;border:1px solid #d0d7de;background:#fff}
pre.body{white-space:pre-wrap;background:#fff;border:1px solid #d0d7de;padding:.8em;margin:0}
footer{padding:1em 1.2em;color:#57606a;font-size:.85em}
`;

export interface Crumb {
  label: string;
  href?: string;
}

/** A complete page; `main` is trusted markup built from escaped values, `version` identifies its content. */
export function renderLayout(title: string, crumbs: Crumb[], main: string, version: string): string {
  const nav = crumbs
    .map((c) => (c.href ? `<a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a>` : escapeHtml(c.label)))
    .join(' › ');
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)} · rc-exchange simulator</title><style>${STYLE}</style></head>` +
    `<body><header><a href="/">rc-exchange simulator</a><nav>${nav}</nav></header>` +
    `<main data-version="${escapeHtml(version)}">${main}</main>` +
    '<footer>Updates live while this page is open · admin API: <a href="/_sim/mailboxes">/_sim/mailboxes</a>, ' +
    '<a href="/_sim/outbound">/_sim/outbound</a>, <a href="/_sim/stats">/_sim/stats</a></footer>' +
    `<script>${LIVE_SCRIPT}</script></body></html>`
  );
}

/** Version of a page's <main>: a short hash, so the live endpoint answers with a few bytes. */
export function versionOf(main: string): string {
  return createHash('sha1').update(main).digest('base64url').slice(0, 16);
}
