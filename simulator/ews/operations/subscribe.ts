/**
 * Subscribe with a PullSubscriptionRequest: FolderIds or SubscribeToAllFolders="true", EventTypes, Timeout
 * (minutes without GetEvents before the subscription expires) and an optional Watermark to resume from. Push and
 * streaming subscriptions are not simulated (ErrorInvalidOperation).
 */
import type { Element } from '@xmldom/xmldom';
import { type EventType, EVENT_TYPES, subscriptionsOf } from '../../notifications/subscriptions';
import type { EwsContext } from '../context';
import { EwsError, EwsFault } from '../ews-error';
import { folderRefs, resolveFolder } from '../folder-ref';
import { operationResponse, responseFor } from '../response-writer';
import { attr, childElement, childElements, escapeXml, MESSAGES_NS, textOf, TYPES_NS } from '../xml';

function invalidWatermark(): EwsError {
  return new EwsError('ErrorInvalidWatermark', 'The watermark is invalid.');
}

export function subscribe(ctx: EwsContext, op: Element): string {
  const request = childElement(op, 'PullSubscriptionRequest', MESSAGES_NS);
  if (!request) {
    throw new EwsFault(
      'ErrorInvalidOperation',
      'Only pull subscriptions are supported by the Exchange simulator (no push or streaming).',
    );
  }
  const message = responseFor('SubscribeResponseMessage', '', () => {
    const registry = subscriptionsOf(ctx.store);
    const allFolders = attr(request, 'SubscribeToAllFolders') === 'true';
    const foldersEl = childElement(request, 'FolderIds', TYPES_NS);
    if (allFolders === Boolean(foldersEl)) {
      throw new EwsError(
        'ErrorInvalidSubscriptionRequest',
        'A subscription names either FolderIds or SubscribeToAllFolders="true".',
      );
    }
    const folderIds = foldersEl
      ? new Set(folderRefs(foldersEl).map((ref) => resolveFolder(ctx, ref).id))
      : undefined;
    const typesEl = childElement(request, 'EventTypes', TYPES_NS);
    const eventTypes = new Set(
      (typesEl ? childElements(typesEl, 'EventType', TYPES_NS) : [])
        .map((el) => textOf(el)?.trim() ?? '')
        .filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t)),
    );
    const timeoutMinutes = Number(textOf(childElement(request, 'Timeout', TYPES_NS))?.trim() ?? '');
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 1440) {
      throw new EwsError(
        'ErrorInvalidPullSubscriptionTimeout',
        'Timeout must be between 1 and 1440 minutes.',
      );
    }
    const watermarkText = textOf(childElement(request, 'Watermark', TYPES_NS))?.trim();
    let fromSeq = registry.position;
    let replay: ReturnType<typeof registry.eventsSince> = [];
    if (watermarkText !== undefined) {
      const check = registry.parseWatermark(watermarkText);
      if (!check.ok) throw invalidWatermark();
      replay = registry.eventsSince(check.seq);
      if (!replay) throw invalidWatermark();
      fromSeq = check.seq;
    }
    const sub = registry.add({ mailbox: ctx.acting, folderIds, eventTypes, timeoutMinutes }, fromSeq);
    sub.queue.push(...replay.filter((e) => registry.matches(sub, e)));
    return (
      `<m:SubscriptionId>${escapeXml(sub.id)}</m:SubscriptionId>` +
      `<m:Watermark>${registry.watermark(fromSeq)}</m:Watermark>`
    );
  });
  return operationResponse('Subscribe', [message]);
}
