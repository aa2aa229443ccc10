/**
 * Server-side allow-list sanitiser for the HTML bodies the web view shows. It is one of three layers: the result
 * is also placed in a sandboxed iframe (no scripts, no same-origin) through `srcdoc`, under a Content-Security-
 * Policy that forbids every load except data: images. This layer makes the markup itself harmless: only listed
 * elements and attributes survive, everything is re-serialised with escaped attribute values, script-like
 * elements are dropped with their content, and URLs are limited to http(s)/mailto links and data:/cid: images.
 */
import { escapeHtml } from './html';

const ALLOWED_ELEMENTS = new Set(
  (
    'a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del ' +
    'details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main ' +
    'mark nav ol p pre q s samp section small span strike strong sub summary sup table tbody td tfoot th ' +
    'thead time tr tt u ul var wbr'
  ).split(' '),
);

const VOID_ELEMENTS = new Set(['br', 'col', 'hr', 'img', 'wbr']);

/** Elements whose content is raw text up to their end tag; dropped together with that content. */
const RAW_TEXT_DROPPED = new Set([
  'script',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'textarea',
  'title',
  'xmp',
]);

/** Elements dropped with everything inside them (their content is markup, so nesting is counted). */
const SUBTREE_DROPPED = new Set([
  'applet',
  'audio',
  'canvas',
  'frameset',
  'head',
  'math',
  'object',
  'picture',
  'select',
  'svg',
  'template',
  'video',
]);

const ALLOWED_ATTRIBUTES = new Set(
  (
    'align alt bgcolor border cellpadding cellspacing color colspan dir face height href lang rowspan size ' +
    'src start style title type valign width'
  ).split(' '),
);

const SAFE_LINK = /^(?:https?:|mailto:|#)/i;
const SAFE_IMAGE = /^(?:data:image\/(?:png|gif|jpeg|webp|bmp);base64,[a-z0-9+/=\s]*$|cid:)/i;

/** Removes what can load, run or bind anything from CSS; what CSP would block anyway never reaches it. */
export function sanitizeCss(css: string): string {
  return css
    .replace(/[<\\]/g, '')
    .replace(/@import[^;]*;?/gi, '')
    .replace(/url\s*\(([^)]*)\)/gi, (match, arg: string) =>
      /^\s*['"]?data:image\//i.test(arg) ? match : 'none',
    )
    .replace(/expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding/gi, '');
}

function safeUrl(value: string): string {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so judge without them.
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0020]/g, '');
}

function sanitizeAttribute(element: string, name: string, value: string): string | undefined {
  if (!ALLOWED_ATTRIBUTES.has(name)) return undefined;
  if (name === 'style') return sanitizeCss(value);
  if (name === 'href') return element === 'a' && SAFE_LINK.test(safeUrl(value)) ? value : undefined;
  if (name === 'src') return element === 'img' && SAFE_IMAGE.test(safeUrl(value)) ? value : undefined;
  return value;
}

const TAG_NAME = /[a-zA-Z][^\s/>]*/y;
/** An attribute as browsers tokenise it; an unclosed quote runs to the end of the input. */
const ATTRIBUTE = /([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)(?:"|$)|'([^']*)(?:'|$)|([^\s>]+)))?/y;

interface Tag {
  name: string;
  end: boolean;
  attributes: Array<[string, string]>;
  /** Index just after the closing `>`; -1 when the input ends inside the tag (browsers drop such a tag). */
  next: number;
}

/** Reads the tag starting at html[at] === '<'; undefined when it is not a tag (then '<' is text). */
function readTag(html: string, at: number): Tag | undefined {
  const end = html[at + 1] === '/';
  TAG_NAME.lastIndex = at + (end ? 2 : 1);
  const nameMatch = TAG_NAME.exec(html);
  if (!nameMatch) return undefined;
  const name = nameMatch[0].toLowerCase();
  let i = TAG_NAME.lastIndex;
  const attributes: Array<[string, string]> = [];
  for (;;) {
    while (i < html.length && /[\s/]/.test(html[i] as string)) i++;
    if (i >= html.length) return { name, end, attributes, next: -1 };
    if (html[i] === '>') return { name, end, attributes, next: i + 1 };
    ATTRIBUTE.lastIndex = i;
    const m = ATTRIBUTE.exec(html);
    if (!m) return { name, end, attributes, next: -1 };
    attributes.push([(m[1] as string).toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')]);
    i = ATTRIBUTE.lastIndex;
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references an attribute value may use to hide a scheme (`jav&#x61;script:`). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (match, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? match;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** Index after the end tag `</name>` that closes a raw-text element opened before `from`. */
function skipRawText(html: string, from: number, name: string): number {
  const pattern = new RegExp(`</${name}[\\s/>]`, 'gi');
  pattern.lastIndex = from;
  const close = pattern.exec(html);
  if (!close) return html.length;
  const gt = html.indexOf('>', close.index);
  return gt < 0 ? html.length : gt + 1;
}

/** Index after the end tag that closes a dropped subtree, counting nested elements of the same name. */
function skipSubtree(html: string, from: number, name: string): number {
  const pattern = new RegExp(`<(/?)${name}(?=[\\s/>])[^>]*>`, 'gi');
  pattern.lastIndex = from;
  let depth = 1;
  for (let m = pattern.exec(html); m; m = pattern.exec(html)) {
    depth += m[1] ? -1 : m[0].endsWith('/>') ? 0 : 1;
    if (depth === 0) return m.index + m[0].length;
  }
  return html.length;
}

/** Returns `html` reduced to allowed elements and attributes, ready to be shown in a sandboxed frame. */
export function sanitizeHtml(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i).replace(/>/g, '&gt;');
      break;
    }
    out += html.slice(i, lt).replace(/>/g, '&gt;');
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const close = html.indexOf('>', lt);
      i = close < 0 ? html.length : close + 1;
      continue;
    }
    const tag = readTag(html, lt);
    if (!tag) {
      out += '&lt;';
      i = lt + 1;
      continue;
    }
    if (tag.next < 0) break;
    i = tag.next;
    if (tag.end) {
      if (ALLOWED_ELEMENTS.has(tag.name) && !VOID_ELEMENTS.has(tag.name)) out += `</${tag.name}>`;
      continue;
    }
    if (tag.name === 'plaintext') break;
    if (RAW_TEXT_DROPPED.has(tag.name)) {
      i = skipRawText(html, i, tag.name);
      continue;
    }
    if (SUBTREE_DROPPED.has(tag.name)) {
      if (!html.slice(lt, tag.next).endsWith('/>')) i = skipSubtree(html, i, tag.name);
      continue;
    }
    if (tag.name === 'style') {
      const close = /<\/style[\s/>]/gi;
      close.lastIndex = i;
      const cssEnd = close.exec(html)?.index ?? html.length;
      out += `<style>${sanitizeCss(html.slice(i, cssEnd))}</style>`;
      i = skipRawText(html, i, 'style');
      continue;
    }
    if (!ALLOWED_ELEMENTS.has(tag.name)) continue;
    let attrs = '';
    for (const [name, value] of tag.attributes) {
      const safe = sanitizeAttribute(tag.name, name, value);
      if (safe !== undefined) attrs += ` ${name}="${escapeHtml(safe)}"`;
    }
    if (tag.name === 'a') attrs += ' rel="noopener noreferrer" target="_blank"';
    out += `<${tag.name}${attrs}>`;
  }
  return out;
}
