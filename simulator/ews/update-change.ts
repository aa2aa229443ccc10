/** The value side of an UpdateItem Set/AppendToItemField change, checked the way Exchange checks it. */
import type { Element } from '@xmldom/xmldom';
import { EwsError } from './ews-error';
import { childElements, TYPES_NS } from './xml';

const ITEM_ELEMENTS = new Set(['Item', 'Message', 'CalendarItem', 'Contact', 'Task']);

/**
 * The item element (`t:Message`, `t:Contact` …) a change carries its one property in. Exchange refuses a change
 * without exactly one property (ErrorIncorrectUpdatePropertyCount) and one whose property is not the element the
 * path names (ErrorUpdatePropertyMismatch); `pathXml` is echoed in the error's MessageXml.
 */
export function changeValueHolder(
  change: Element,
  action: string,
  expected: string,
  pathXml: string,
): Element {
  const holder = childElements(change, undefined, TYPES_NS).find((c) => ITEM_ELEMENTS.has(c.localName ?? ''));
  const properties = holder ? childElements(holder, undefined, TYPES_NS) : [];
  if (!holder || properties.length !== 1) {
    throw new EwsError(
      'ErrorIncorrectUpdatePropertyCount',
      'An object within a change description must contain one and only one property to modify.',
      pathXml,
    );
  }
  if (properties[0].localName !== expected) {
    throw new EwsError(
      'ErrorUpdatePropertyMismatch',
      `The property in the ${action} change does not match the property to update.`,
      pathXml,
    );
  }
  return holder;
}

/**
 * The error Exchange gives for a property that cannot be changed the way the change (SetItemField /
 * AppendToItemField / DeleteItemField) asks: ErrorInvalidPropertySet / …Append / …Delete.
 */
export function invalidPropertyChange(action: string | null, message: string, pathXml: string): EwsError {
  const code =
    action === 'SetItemField'
      ? 'ErrorInvalidPropertySet'
      : action === 'AppendToItemField'
        ? 'ErrorInvalidPropertyAppend'
        : 'ErrorInvalidPropertyDelete';
  return new EwsError(code, message, pathXml);
}
