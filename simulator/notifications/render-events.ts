/** Writes a pull subscription's events as t:Notification (types.xsd NotificationType, schema order). */
import { escapeXml } from '../ews/xml';
import type { SequencedEvent, SubscriptionRegistry } from './subscriptions';

function timestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function idXml(tag: string, id: string, changeKey: string | undefined): string {
  const ck = changeKey ? ` ChangeKey="${escapeXml(changeKey)}"` : '';
  return `<t:${tag} Id="${escapeXml(id)}"${ck}/>`;
}

function eventXml(registry: SubscriptionRegistry, e: SequencedEvent): string {
  const tag = `${e.kind}Event`;
  const idTag = e.target === 'item' ? 'ItemId' : 'FolderId';
  let xml =
    `<t:${tag}><t:Watermark>${registry.watermark(e.seq)}</t:Watermark>` +
    `<t:TimeStamp>${timestamp(e.at)}</t:TimeStamp>${idXml(idTag, e.id, e.changeKey)}` +
    idXml('ParentFolderId', e.parentFolderId, e.parentChangeKey);
  if (e.kind === 'Moved' && e.oldId !== undefined && e.oldParentFolderId !== undefined) {
    xml +=
      idXml(e.target === 'item' ? 'OldItemId' : 'OldFolderId', e.oldId, undefined) +
      idXml('OldParentFolderId', e.oldParentFolderId, e.oldParentChangeKey);
  }
  return `${xml}</t:${tag}>`;
}

/** `events` empty → a single StatusEvent carrying the current watermark, as Exchange sends. */
export function notificationXml(
  registry: SubscriptionRegistry,
  subscriptionId: string,
  previousWatermark: string,
  events: SequencedEvent[],
  moreEvents: boolean,
): string {
  const body =
    events.length > 0
      ? events.map((e) => eventXml(registry, e)).join('')
      : `<t:StatusEvent><t:Watermark>${registry.watermark()}</t:Watermark></t:StatusEvent>`;
  return (
    `<m:Notification><t:SubscriptionId>${escapeXml(subscriptionId)}</t:SubscriptionId>` +
    `<t:PreviousWatermark>${escapeXml(previousWatermark)}</t:PreviousWatermark>` +
    `<t:MoreEvents>${moreEvents}</t:MoreEvents>${body}</m:Notification>`
  );
}
