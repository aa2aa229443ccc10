/**
 * XML escaping for every string handed to ews-javascript-api.
 *
 * Why this exists: ews-javascript-api 0.15 builds its SOAP request by string concatenation
 * (EwsServiceXmlWriter.WriteValue / WriteAttributeString append the raw value) and never escapes. A subject
 * like `Q&A <draft>` would produce malformed XML (Exchange answers ErrorSchemaValidation) or, worse, inject
 * elements. So every subject, body, display name, address and extended-property value goes through here first.
 *
 * - `&` `<` `>` `"` `'` become entity references; this is valid in both element text and attribute values.
 *   `]]>` needs no special case: once `>` is `&gt;` the sequence cannot close anything.
 * - Characters that XML 1.0 forbids (C0 controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) cannot
 *   be sent at all, not even as character references, so they are removed.
 * - CR, LF and TAB are written as character references: a parser normalises a literal CRLF to LF, and in an
 *   attribute value (ews-javascript-api writes some values as attributes) LF and TAB to spaces, so only
 *   references round-trip byte-exactly.
 */

// XML 1.0 Char production, inverted: what must not appear in a document.
/* eslint-disable no-control-regex -- matching control characters is the point */
const ILLEGAL_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/* eslint-enable no-control-regex */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

/** Removes characters that cannot appear in an XML 1.0 document (they would be rejected by Exchange). */
export function stripIllegalXmlChars(value: string): string {
  return value.replace(ILLEGAL_XML_CHARS, '');
}

/** Escapes a string for use as XML element text or attribute value. */
export function xmlEscape(value: string): string {
  return stripIllegalXmlChars(value).replace(/[&<>"'\r\n\t]/g, (ch) => ENTITIES[ch] as string);
}
