/** Finds the subscription a GetEvents/Unsubscribe names, with Exchange's response codes for the bad cases. */
import type { EwsContext } from '../ews/context';
import { EwsError } from '../ews/ews-error';
import { isWellFormedSubscriptionId, type Subscription, subscriptionsOf } from './subscriptions';

export function resolveSubscription(ctx: EwsContext, id: string): Subscription {
  if (!isWellFormedSubscriptionId(id)) {
    throw new EwsError('ErrorInvalidSubscription', 'The subscription is invalid.');
  }
  const registry = subscriptionsOf(ctx.store);
  const sub = registry.get(id);
  if (!sub) throw new EwsError('ErrorSubscriptionNotFound', 'The specified subscription was not found.');
  if (sub.mailbox !== ctx.acting) {
    throw new EwsError(
      'ErrorSubscriptionAccessDenied',
      'Access is denied. Only the subscription owner may access the subscription.',
    );
  }
  if (registry.isExpired(sub)) {
    registry.remove(sub.id);
    throw new EwsError(
      'ErrorExpiredSubscription',
      'The subscription has expired: no GetEvents call within its Timeout.',
    );
  }
  return sub;
}
