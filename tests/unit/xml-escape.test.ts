import { DOMParser } from '@xmldom/xmldom';
import { stripIllegalXmlChars, xmlEscape } from '../../worker/exchange/ews/xml-escape';

function roundTrip(value: string): string {
  const xml = `<r a="${xmlEscape(value)}">${xmlEscape(value)}</r>`;
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement as unknown as { textContent: string; getAttribute(n: string): string };
  expect(root.getAttribute('a')).toBe(root.textContent);
  return root.textContent;
}

describe('xmlEscape', () => {
  it('escapes the five XML specials', () => {
    expect(xmlEscape(`& < > " '`)).toBe('&amp; &lt; &gt; &quot; &apos;');
  });

  it("makes ']]>' harmless", () => {
    expect(xmlEscape(']]>')).toBe(']]&gt;');
  });

  it('does not double-escape on purpose: an entity in the input is text', () => {
    expect(xmlEscape('&amp;')).toBe('&amp;amp;');
  });

  it('round-trips specials, CDATA end, emoji, umlauts and CRLF byte-exactly through a real XML parser', () => {
    const samples = [
      `& < > " ' ]]>`,
      'Grüße aus Köln – Äpfel, Öl, Übermaß, ß',
      'emoji 😀👍🏽 and 𝄞',
      'line1\r\nline2\rline3\n',
      '<![CDATA[x]]> <script>alert(1)</script> &lt;',
      'tab\there',
    ];
    for (const s of samples) expect(roundTrip(s)).toBe(s);
  });

  it('removes characters XML 1.0 cannot carry, keeps TAB/LF/CR and valid surrogate pairs', () => {
    expect(stripIllegalXmlChars('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFF')).toBe('abcdefgh');
    expect(stripIllegalXmlChars('\t\n\r')).toBe('\t\n\r');
    expect(stripIllegalXmlChars('x\uD800y\uDC00z')).toBe('xyz');
    expect(stripIllegalXmlChars('😀')).toBe('😀');
    expect(roundTrip('bell\u0007!')).toBe('bell!');
  });
});
