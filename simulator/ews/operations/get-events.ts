/**
 * GetEvents: the events of a pull subscription after the presented watermark (at most 50, MoreEvents beyond),
 * each with its own watermark; a StatusEvent when nothing happened. Presenting a watermark acknowledges the
 * events up to it; older watermarks are then ErrorInvalidWatermark. Each call resets the Timeout clock.
 */
import type { Element } from '@xmldom/xmldom';
import { notificationXml } from '../../notifications/render-events';
import { resolveSubscription } from '../../notifications/subscription-ref';
import { EVENTS_PER_CALL, subscriptionsOf } from '../../notifications/subscriptions';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, MESSAGES_NS, textOf } from '../xml';

export function getEvents(ctx: EwsContext, op: Element): string {
  const id = textOf(childElement(op, 'SubscriptionId', MESSAGES_NS))?.trim() ?? '';
  const watermark = textOf(childElement(op, 'Watermark', MESSAGES_NS))?.trim() ?? '';
  const message = responseFor('GetEventsResponseMessage', '', () => {
    const registry = subscriptionsOf(ctx.store);
    const sub = resolveSubscription(ctx, id);
    const check = registry.parseWatermark(watermark);
    if (!check.ok || check.seq < sub.floor) {
      throw new EwsError('ErrorInvalidWatermark', 'The watermark is invalid.');
    }
    sub.floor = check.seq;
    sub.lastPolled = registry.now();
    const keep = sub.queue.findIndex((e) => e.seq > check.seq);
    sub.queue.splice(0, keep < 0 ? sub.queue.length : keep);
    const events = sub.queue.slice(0, EVENTS_PER_CALL);
    return notificationXml(registry, sub.id, watermark, events, sub.queue.length > events.length);
  });
  return operationResponse('GetEvents', [message]);
}
