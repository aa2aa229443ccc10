/** Unsubscribe: ends a pull subscription; later GetEvents calls get ErrorSubscriptionNotFound. */
import type { Element } from '@xmldom/xmldom';
import { resolveSubscription } from '../../notifications/subscription-ref';
import { subscriptionsOf } from '../../notifications/subscriptions';
import type { EwsContext } from '../context';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, MESSAGES_NS, textOf } from '../xml';

export function unsubscribe(ctx: EwsContext, op: Element): string {
  const id = textOf(childElement(op, 'SubscriptionId', MESSAGES_NS))?.trim() ?? '';
  const message = responseFor('UnsubscribeResponseMessage', '', () => {
    subscriptionsOf(ctx.store).remove(resolveSubscription(ctx, id).id);
    return '';
  });
  return operationResponse('Unsubscribe', [message]);
}
