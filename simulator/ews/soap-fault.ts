/**
 * SOAP faults exactly as Exchange sends them (HTTP 500): faultcode in the types namespace, a localised
 * faultstring, and a detail with e:ResponseCode, e:Message and t:MessageXml. ews-javascript-api parses these
 * into SoapFaultDetails (ResponseCode, Message, ErrorDetails from t:Value, LineNumber/PositionWithinLine).
 */
import { EwsFault } from './ews-error';
import { messageXmlValue } from './response-writer';
import { ERRORS_NS, escapeXml, SOAP_NS, TYPES_NS } from './xml';

export function renderFault(fault: EwsFault): string {
  const code = escapeXml(fault.code);
  const messageXml = fault.options.messageXml
    ? `<t:MessageXml xmlns:t="${TYPES_NS}">${fault.options.messageXml}</t:MessageXml>`
    : '';
  const faultCode = fault.options.faultCode ?? `a:${code}`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${TYPES_NS}">${faultCode}</faultcode>` +
    `<faultstring xml:lang="en-US">${escapeXml(fault.message)}</faultstring><detail>` +
    `<e:ResponseCode xmlns:e="${ERRORS_NS}">${code}</e:ResponseCode>` +
    `<e:Message xmlns:e="${ERRORS_NS}">${escapeXml(fault.options.detailMessage ?? fault.message)}</e:Message>` +
    `${messageXml}</detail></s:Fault></s:Body></s:Envelope>`
  );
}

/** The request is not well-formed XML or breaks the schema; line/position are 1-based like .NET's XmlReader. */
export function schemaValidationFault(line: number, position: number, violation: string): EwsFault {
  const located = `${violation} Line ${line}, position ${position}.`;
  return new EwsFault('ErrorSchemaValidation', `The request failed schema validation: ${located}`, {
    detailMessage: 'The request failed schema validation.',
    messageXml:
      `<t:LineNumber>${line}</t:LineNumber><t:LinePosition>${position}</t:LinePosition>` +
      `<t:Violation>${escapeXml(located)}</t:Violation>`,
  });
}

export function serverBusyFault(backOffMs: number): EwsFault {
  return new EwsFault(
    'ErrorServerBusy',
    'The server cannot service this request right now. Try again later.',
    {
      messageXml: messageXmlValue('BackOffMilliseconds', String(Math.max(0, Math.round(backOffMs)))),
    },
  );
}

export function invalidRequestFault(message: string): EwsFault {
  return new EwsFault('ErrorInvalidRequest', message);
}
