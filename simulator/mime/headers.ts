/**
 * RFC 5322 header fields: folding and unfolding, address lists (display names RFC 2047-encoded when not ASCII),
 * dates, and structured values with parameters (Content-Type, Content-Disposition; RFC 2231 extended values too).
 */
import type { Recipient } from '../model';
import { decodeCharset } from './charset';
import { decodeWords, encodeWords } from './encoded-words';

export type HeaderList = Array<[name: string, value: string]>;

/** Folds at spaces so lines stay near 78 characters; a value without spaces stays on one line. */
export function foldHeader(name: string, value: string): string {
  const words = value.split(' ');
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > 78 && line.length > name.length + 1) {
      lines.push(line);
      line = '';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** Header lines (unfolded) of one header block. */
export function parseHeaders(block: string): HeaderList {
  const out: HeaderList = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1][1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return out;
}

export function header(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

function quoteIfNeeded(text: string): string {
  return /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(text) ? text : `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

export function formatAddress(r: Recipient): string {
  if (!r.name || r.name === r.address) return r.address;
  const encoded = encodeWords(r.name);
  return `${encoded === r.name ? quoteIfNeeded(r.name) : encoded} <${r.address}>`;
}

export function formatAddressList(list: Recipient[]): string {
  return list.map(formatAddress).join(', ');
}

/** Splits on `sep` outside quotes, comments and angle brackets. */
function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '<' || ch === '(')) depth++;
    else if (!quoted && (ch === '>' || ch === ')')) depth = Math.max(0, depth - 1);
    if (ch === sep && !quoted && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function unquote(text: string): string {
  const t = text.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}

export function parseAddressList(value: string | undefined): Recipient[] {
  if (!value) return [];
  const out: Recipient[] = [];
  for (const raw of splitOutside(value, ',')) {
    const part = raw.replace(/\([^)]*\)/g, '').trim();
    if (!part) continue;
    const angle = /^(.*)<([^>]*)>\s*$/.exec(part);
    if (angle) {
      const name = decodeWords(unquote(angle[1]));
      out.push(name ? { name, address: angle[2].trim() } : { address: angle[2].trim() });
    } else {
      out.push({ address: part });
    }
  }
  return out;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date-time in UTC: "Sat, 28 Nov 2026 00:29:24 +0000". */
export function formatDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

export function parseDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export interface StructuredValue {
  value: string;
  params: Map<string, string>;
}

/** `type/subtype; a=b; c="d"` with RFC 2231 `name*=charset''pct-encoded` and continuations; keys lower-cased. */
export function parseStructured(text: string | undefined): StructuredValue {
  const [first, ...rest] = splitOutside(text ?? '', ';');
  const params = new Map<string, string>();
  const extended = new Map<string, Array<{ index: number; value: string; encoded: boolean }>>();
  for (const raw of rest) {
    const eq = raw.indexOf('=');
    if (eq < 0) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    const value = unquote(raw.slice(eq + 1));
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (m) {
      const list = extended.get(m[1]) ?? [];
      list.push({ index: Number(m[2] ?? 0), value, encoded: m[3] === '*' || m[2] === undefined });
      extended.set(m[1], list);
    } else {
      params.set(key, decodeWords(value));
    }
  }
  for (const [key, pieces] of extended) {
    pieces.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: Buffer[] = [];
    pieces.forEach((p, i) => {
      let v = p.value;
      if (p.encoded && i === 0) {
        const parts = v.split("'");
        if (parts.length >= 3) {
          charset = parts[0] || charset;
          v = parts.slice(2).join("'");
        }
      }
      bytes.push(p.encoded ? Buffer.from(percentDecode(v)) : Buffer.from(v, 'utf8'));
    });
    params.set(key, decodeCharset(Buffer.concat(bytes), charset));
  }
  return { value: (first ?? '').trim().toLowerCase(), params };
}

function percentDecode(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(text[i], 'utf8'));
  }
  return out;
}
