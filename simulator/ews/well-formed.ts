/**
 * Checks xmldom does not make: it silently accepts a bare '&' in text, which Exchange (.NET XmlReader) rejects.
 * This matters because ews-javascript-api does not escape strings; a gateway that forgets to must fail here
 * exactly as it would against Exchange. Also refuses DTDs, as Exchange does.
 */
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;
const NAME_WITH_SEMICOLON = /&([A-Za-z_][A-Za-z0-9._-]*);/y;

export interface MalformedSpot {
  line: number;
  position: number;
  violation: string;
}

export function lineAndPosition(text: string, offset: number): { line: number; position: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, position: offset - lineStart + 1 };
}

/** Regions where '&' is literal text: CDATA sections and comments. Empty for ordinary requests. */
function literalRegions(text: string): Array<[number, number]> {
  const regions: Array<[number, number]> = [];
  for (const [open, close] of [
    ['<![CDATA[', ']]>'],
    ['<!--', '-->'],
  ] as const) {
    for (let start = text.indexOf(open); start !== -1; start = text.indexOf(open, start + 1)) {
      const end = text.indexOf(close, start + open.length);
      regions.push([start, end === -1 ? text.length : end + close.length]);
      if (end === -1) break;
    }
  }
  return regions;
}

export function findMalformedSpot(text: string): MalformedSpot | undefined {
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype !== -1) {
    return {
      ...lineAndPosition(text, doctype + 2),
      violation:
        'For security reasons DTD is prohibited in this XML document. To enable DTD processing set the DtdProcessing property on XmlReaderSettings to Parse and pass the settings into XmlReader.Create method.',
    };
  }
  let regions: Array<[number, number]> | undefined;
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    REFERENCE.lastIndex = i;
    if (REFERENCE.test(text)) continue;
    regions ??= literalRegions(text);
    if (regions.some(([start, end]) => i > start && i < end)) continue;
    NAME_WITH_SEMICOLON.lastIndex = i;
    const named = NAME_WITH_SEMICOLON.exec(text);
    const at = lineAndPosition(text, i + 1);
    return named
      ? { ...at, violation: `Reference to undeclared entity '${named[1]}'.` }
      : { ...at, violation: 'An error occurred while parsing EntityName.' };
  }
  return undefined;
}
