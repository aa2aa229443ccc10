/** What Exchange Online answers when a limit of simulator/limits.ts is hit, and HTTP 429 from its front door. */
import type { Element } from '@xmldom/xmldom';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { sendJson } from '../http-util';
import { EwsError, EwsFault } from './ews-error';
import { errorMessage, operationResponse } from './response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from './xml';

/** EWSMaxConcurrency exceeded: a SOAP fault (HTTP 500); the client may retry once its other requests end. */
export function exceededConnectionCountFault(): EwsFault {
  return new EwsFault(
    'ErrorExceededConnectionCount',
    'You have exceeded the available concurrent connections for your account.  Try again once your other requests have completed.',
  );
}

export function messageSizeExceededError(): EwsError {
  return new EwsError('ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.');
}

/** A CreateItem whose request is larger than the message size limit: one error response message per item. */
export function createItemTooLargeResponse(op: Element): string {
  const itemsEl = childElement(op, 'Items', MESSAGES_NS);
  const count = itemsEl ? childElements(itemsEl, undefined, TYPES_NS).length : 0;
  const error = messageSizeExceededError();
  return operationResponse(
    'CreateItem',
    Array.from({ length: count }, () => errorMessage('CreateItemResponseMessage', error, '<m:Items/>')),
  );
}

/**
 * HTTP 429 with Retry-After (delta-seconds), the shape Exchange Online's shared throttling layer (the one in
 * front of Microsoft Graph) uses: a JSON error body, no SOAP.
 */
export function sendTooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
  const seconds = Math.max(0, Math.ceil(retryAfterSeconds));
  const requestId = randomUUID();
  sendJson(
    res,
    429,
    {
      error: {
        code: 'TooManyRequests',
        message: 'Too many requests. Retry after the number of seconds in the Retry-After header.',
        innerError: { 'request-id': requestId, date: new Date().toISOString() },
      },
    },
    { 'Retry-After': String(seconds), 'request-id': requestId },
  );
}
