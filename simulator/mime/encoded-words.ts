/** RFC 2047 encoded-words: header text outside US-ASCII as =?UTF-8?B?…?=, and decoding of B and Q words. */
import { decodeCharset } from './charset';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Bytes of UTF-8 per encoded-word so each word stays within the 75-character limit. */
const CHUNK_BYTES = 45;

/** The text unchanged when it is printable ASCII, else a run of B-encoded UTF-8 words (split on characters). */
export function encodeWords(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > CHUNK_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

const WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** Decodes every encoded-word; whitespace between two adjacent words is dropped as RFC 2047 says. */
export function decodeWords(text: string): string {
  const joined = text.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(WORD, (_m, charset: string, encoding: string, data: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    return decodeCharset(bytes, charset.split('*')[0]);
  });
}
