/**
 * Hand-made EWS requests for the simulator tests that need exact control over the XML (what ews-javascript-api
 * cannot or will not send): one envelope builder and one POST.
 */
export const MESSAGES_NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
export const TYPES_NS = 'http://schemas.microsoft.com/exchange/services/2006/types';

/** A SOAP envelope with RequestServerVersion Exchange2013_SP1, extra header elements and the body as given. */
export function soapEnvelope(body: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    `xmlns:m="${MESSAGES_NS}" xmlns:t="${TYPES_NS}"><soap:Header>` +
    `<t:RequestServerVersion Version="Exchange2013_SP1"/>${header}</soap:Header>` +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

export function basicAuth(user: string, password = 'simulator'): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface SoapReply {
  status: number;
  text: string;
  headers: Headers;
}

/** POSTs a whole envelope to the EWS endpoint with the given Authorization header value. */
export async function postSoap(ewsUrl: string, xml: string, authorization: string): Promise<SoapReply> {
  const res = await fetch(ewsUrl, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'text/xml; charset=utf-8' },
    body: xml,
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
