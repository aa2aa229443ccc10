/** Parses an RFC 5322 / MIME message into a tree of entities with decoded bodies. */
import { decodeCharset } from './charset';
import { header, type HeaderList, parseHeaders, parseStructured, type StructuredValue } from './headers';
import { decodeQuotedPrintable } from './quoted-printable';

export interface MimeEntity {
  headers: HeaderList;
  contentType: StructuredValue;
  disposition?: StructuredValue;
  /** Decoded body bytes (transfer encoding removed); empty for multiparts. */
  content: Buffer;
  children: MimeEntity[];
}

/** Nesting deeper than this is refused (a crafted message must not exhaust the stack). */
const MAX_DEPTH = 20;

function splitHeaderBlock(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

/** `raw` is the message as latin1 text (one character per byte), so 8-bit bodies survive until decoded. */
function parseEntity(raw: string, depth: number): MimeEntity {
  const { head, body } = splitHeaderBlock(raw);
  const headers: HeaderList = parseHeaders(head).map(([n, v]) => [n, headerText(v)]);
  const contentType = parseStructured(header(headers, 'Content-Type') ?? 'text/plain; charset=us-ascii');
  const dispositionText = header(headers, 'Content-Disposition');
  const entity: MimeEntity = {
    headers,
    contentType,
    disposition: dispositionText ? parseStructured(dispositionText) : undefined,
    content: Buffer.alloc(0),
    children: [],
  };
  const boundary = contentType.params.get('boundary');
  if (contentType.value.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    entity.children = splitMultipart(body, boundary).map((p) => parseEntity(p, depth + 1));
  } else {
    entity.content = decodeBody(body, header(headers, 'Content-Transfer-Encoding'));
  }
  return entity;
}

export function parseMime(message: Buffer): MimeEntity {
  return parseEntity(message.toString('latin1'), 0);
}

/** Text of a text/* entity in its declared charset. */
export function entityText(entity: MimeEntity): string {
  return decodeCharset(entity.content, entity.contentType.params.get('charset'));
}

/** Header values were read as latin1; re-reads 8-bit (raw UTF-8) header text as UTF-8. */
function headerText(value: string): string {
  return /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
}
