/**
 * Parses an EWS SOAP request (namespace-aware DOM) into the operation element and the SOAP headers the
 * simulator honours. Anything not well-formed becomes the ErrorSchemaValidation fault Exchange would send.
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { EwsFault } from './ews-error';
import { schemaValidationFault } from './soap-fault';
import { findMalformedSpot } from './well-formed';
import { attr, childElement, childElements, MESSAGES_NS, SOAP_NS, textOf, TYPES_NS } from './xml';

export interface ImpersonationHeader {
  /** SmtpAddress, PrimarySmtpAddress, PrincipalName or SID, as in t:ConnectingSID. */
  kind: string;
  value: string;
}

export interface ParsedRequest {
  operation: Element;
  operationName: string;
  impersonation?: ImpersonationHeader;
  requestServerVersion?: string;
}

interface Located {
  lineNumber?: number;
  columnNumber?: number;
}

export function parseEwsRequest(text: string): ParsedRequest {
  const malformed = findMalformedSpot(text);
  if (malformed) throw schemaValidationFault(malformed.line, malformed.position, malformed.violation);

  let document;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (err) {
    const located = (err as { locator?: Located }).locator ?? {};
    const reason = (err as Error).message.replace(/^Reporting \w+ "(.*)" caused [\s\S]*$/, '$1');
    throw schemaValidationFault(located.lineNumber ?? 1, located.columnNumber ?? 1, `${reason}.`);
  }

  const root = document.documentElement;
  if (!root || root.localName !== 'Envelope' || root.namespaceURI !== SOAP_NS) {
    throw new EwsFault(
      'ErrorInvalidRequest',
      'The request is invalid: the root element must be a SOAP 1.1 Envelope.',
    );
  }
  const body = childElement(root, 'Body', SOAP_NS);
  const operation = body && childElements(body)[0];
  if (!operation || operation.namespaceURI !== MESSAGES_NS) {
    throw new EwsFault(
      'ErrorInvalidRequest',
      'The request is invalid: soap:Body must contain one EWS operation.',
    );
  }

  const parsed: ParsedRequest = { operation, operationName: operation.localName ?? '' };
  const header = childElement(root, 'Header', SOAP_NS);
  if (header) {
    const version = childElement(header, 'RequestServerVersion', TYPES_NS);
    if (version) parsed.requestServerVersion = attr(version, 'Version');
    const impersonation = childElement(header, 'ExchangeImpersonation', TYPES_NS);
    if (impersonation) {
      const sid = childElement(impersonation, 'ConnectingSID', TYPES_NS);
      const id = sid && childElements(sid, undefined, TYPES_NS)[0];
      if (!id) {
        throw new EwsFault(
          'ErrorInvalidExchangeImpersonationHeaderData',
          'The impersonation header is invalid: ConnectingSID must name the account to impersonate.',
        );
      }
      parsed.impersonation = { kind: id.localName ?? '', value: (textOf(id) ?? '').trim() };
    }
  }
  return parsed;
}
