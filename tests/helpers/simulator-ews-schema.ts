/**
 * Validates EWS response bodies against Exchange's own schemas (messages.xsd + types.xsd) with xmllint-wasm.
 * Looks for the schemas in $RC_EWS_SCHEMA_DIR, default ../shared/ews-schema relative to the repository root;
 * when they are absent every check is skipped with one clear console message.
 * Usage: `await expectValidEwsResponse(responseXml)` — validates the first child of soap:Body (a SOAP fault
 * is not an EWS message and is only checked for shape).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const MESSAGES_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const TYPES_NS = 'http://schemas.microsoft.com/exchange/services/2006/types';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function ewsSchemaDir(): string {
  return path.resolve(REPO_ROOT, process.env.RC_EWS_SCHEMA_DIR ?? '../shared/ews-schema');
}

let schemaFiles: { schema: XMLFileInfo; preload: XMLFileInfo[] } | null | undefined;
let warned = false;

function loadSchemas(): { schema: XMLFileInfo; preload: XMLFileInfo[] } | null {
  if (schemaFiles !== undefined) return schemaFiles;
  const dir = ewsSchemaDir();
  const read = (name: string): XMLFileInfo => ({
    fileName: name,
    contents: fs.readFileSync(path.join(dir, name), 'utf8'),
  });
  if (!fs.existsSync(path.join(dir, 'messages.xsd')) || !fs.existsSync(path.join(dir, 'types.xsd'))) {
    schemaFiles = null;
  } else {
    const preload = [read('types.xsd')];
    if (fs.existsSync(path.join(dir, 'xml.xsd'))) preload.push(read('xml.xsd'));
    schemaFiles = { schema: read('messages.xsd'), preload };
  }
  return schemaFiles;
}

function firstElementChild(parent: Element): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  return undefined;
}

/** The first child of soap:Body as a standalone document, with the m/t prefixes declared. */
export function extractBodyPayload(envelopeXml: string): { element: Element; xml: string } {
  const doc = new DOMParser().parseFromString(envelopeXml, 'text/xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'Envelope' || root.namespaceURI !== SOAP_NS)
    throw new Error('not a SOAP envelope');
  let body: Element | undefined;
  for (let n = root.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === 'Body') body = n as Element;
  }
  const element = body && firstElementChild(body);
  if (!element) throw new Error('soap:Body is empty');
  element.setAttribute('xmlns:m', MESSAGES_NS);
  element.setAttribute('xmlns:t', TYPES_NS);
  return { element, xml: new XMLSerializer().serializeToString(element) };
}

/** Throws with xmllint's messages when a response body is not valid per messages.xsd. */
export async function expectValidEwsResponse(envelopeXml: string): Promise<void> {
  await expectValidEwsResponses([envelopeXml]);
}

/**
 * Validates many responses in one xmllint run (compiling the 600 kB schema dominates the cost).
 * Bodies that are not SOAP envelopes (e.g. an HTTP 503 page) are refused: filter them out first.
 */
export async function expectValidEwsResponses(envelopes: readonly string[]): Promise<void> {
  const payloads = envelopes
    .map((xml) => extractBodyPayload(xml))
    .filter(({ element }) => !(element.localName === 'Fault' && element.namespaceURI === SOAP_NS));
  if (payloads.length === 0) return;
  const schemas = loadSchemas();
  if (!schemas) {
    if (!warned) {
      warned = true;
      console.warn(
        `EWS schema validation skipped: no messages.xsd/types.xsd in ${ewsSchemaDir()} (set RC_EWS_SCHEMA_DIR).`,
      );
    }
    return;
  }
  const result = await validateXML({
    xml: payloads.map(({ xml }, i) => ({ fileName: `response-${i}.xml`, contents: xml })),
    schema: schemas.schema,
    preload: schemas.preload,
  });
  if (!result.valid) {
    const bodies = payloads
      .map(({ xml }, i) => `--- response-${i}.xml ---\n${xml.slice(0, 3000)}`)
      .join('\n');
    throw new Error(
      `EWS response fails messages.xsd:\n${result.errors.map((e) => e.rawMessage).join('\n')}\n${bodies}`,
    );
  }
}
