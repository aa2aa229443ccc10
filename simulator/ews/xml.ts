/** Namespaces, escaping and small DOM helpers shared by the EWS face. */
import type { Element, Node } from '@xmldom/xmldom';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const MESSAGES_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const TYPES_NS = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const ERRORS_NS = 'http://schemas.microsoft.com/exchange/services/2006/errors';

/** Escapes text for element content and attribute values (the same rules the EWS gateway uses). */
export { xmlEscape as escapeXml } from '../../worker/exchange/ews/xml-escape';

const ELEMENT_NODE = 1;

export function childElements(parent: Node, localName?: string, ns?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue;
    const el = n as Element;
    if (localName !== undefined && el.localName !== localName) continue;
    if (ns !== undefined && el.namespaceURI !== ns) continue;
    out.push(el);
  }
  return out;
}

export function childElement(parent: Node, localName: string, ns?: string): Element | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue;
    const el = n as Element;
    if (el.localName === localName && (ns === undefined || el.namespaceURI === ns)) return el;
  }
  return undefined;
}

export function textOf(el: Element | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

/** Position of a node in the request text, when the parser recorded one. */
export function positionOf(node: Node): { line: number; column: number } {
  const located = node as unknown as { lineNumber?: number; columnNumber?: number };
  return { line: located.lineNumber ?? 0, column: located.columnNumber ?? 0 };
}
