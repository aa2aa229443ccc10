/**
 * Writes EWS responses the way Exchange Online does: s:Envelope with the h:ServerVersionInfo header, the
 * operation response in the messages namespace (prefix m) and types under prefix t, response message children
 * in schema order (MessageText, ResponseCode, DescriptiveLinkKey, MessageXml, then the payload).
 */
import { EwsError } from './ews-error';
import { escapeXml, MESSAGES_NS, SOAP_NS, TYPES_NS } from './xml';

const SERVER_VERSION_INFO =
  '<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="8792" MinorBuildNumber="14" ' +
  `Version="V2018_01_08" xmlns:h="${TYPES_NS}" xmlns="${TYPES_NS}" ` +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';

export function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}">` +
    `<s:Header>${SERVER_VERSION_INFO}</s:Header>` +
    '<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
    `${body}</s:Body></s:Envelope>`
  );
}

/** `<m:{operation}Response>` wrapping the response messages, one per input item. */
export function operationResponse(operation: string, messages: string[]): string {
  return (
    `<m:${operation}Response xmlns:m="${MESSAGES_NS}" xmlns:t="${TYPES_NS}">` +
    `<m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${operation}Response>`
  );
}

export function successMessage(tag: string, payload = ''): string {
  return `<m:${tag} ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${payload}</m:${tag}>`;
}

/** Error response message; `emptyPayload` is what Exchange still emits on error (e.g. `<m:Items/>`). */
export function errorMessage(tag: string, error: EwsError, emptyPayload = ''): string {
  const messageXml = error.messageXml ? `<m:MessageXml>${error.messageXml}</m:MessageXml>` : '';
  return (
    `<m:${tag} ResponseClass="Error"><m:MessageText>${escapeXml(error.message)}</m:MessageText>` +
    `<m:ResponseCode>${escapeXml(error.code)}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>` +
    `${messageXml}${emptyPayload}</m:${tag}>`
  );
}

/** Runs `produce` for one input item; an EwsError becomes that item's error response message. */
export function responseFor(tag: string, emptyPayload: string, produce: () => string): string {
  try {
    return successMessage(tag, produce());
  } catch (err) {
    if (err instanceof EwsError) return errorMessage(tag, err, emptyPayload);
    throw err;
  }
}

export function messageXmlValue(name: string, value: string): string {
  return `<t:Value Name="${escapeXml(name)}">${escapeXml(value)}</t:Value>`;
}
