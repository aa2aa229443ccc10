/** RFC 2045 quoted-printable for text bodies: CRLF line breaks kept, other lines soft-wrapped at 76 characters. */

const MAX_LINE = 76;

function encodeLine(bytes: Buffer): string {
  let out = '';
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const last = i === bytes.length - 1;
    const safe = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
    const token = safe ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + token.length > MAX_LINE - 1) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += token;
  }
  return out + line;
}

export function encodeQuotedPrintable(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => encodeLine(Buffer.from(line, 'utf8')))
    .join('\r\n');
}

export function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const ch = unwrapped[i];
    const hex = unwrapped.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}
