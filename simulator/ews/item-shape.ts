/** m:ItemShape: base shape, body type and additional (FieldURI / ExtendedFieldURI) properties. */
import type { Element } from '@xmldom/xmldom';
import type { ExtendedPropertyPath } from '../model';
import { parseExtendedFieldUri } from './extended-property';
import { simpleText } from './parse-message';
import { attr, childElement, childElements, TYPES_NS } from './xml';

/** Properties the simulator can return, in the order types.xsd requires (ItemType, then MessageType). */
export const FIELD_ORDER = [
  'item:ParentFolderId',
  'item:ItemClass',
  'item:Subject',
  'item:Sensitivity',
  'item:Body',
  'item:Attachments',
  'item:DateTimeReceived',
  'item:Size',
  'item:Categories',
  'item:Importance',
  'item:IsSubmitted',
  'item:IsDraft',
  'item:IsFromMe',
  'item:IsResend',
  'item:IsUnmodified',
  'item:DateTimeSent',
  'item:DateTimeCreated',
  'item:DisplayCc',
  'item:DisplayTo',
  'item:HasAttachments',
  'item:ExtendedProperty',
  'item:LastModifiedTime',
  'message:Sender',
  'message:ToRecipients',
  'message:CcRecipients',
  'message:BccRecipients',
  'message:IsReadReceiptRequested',
  'message:IsDeliveryReceiptRequested',
  'message:ConversationTopic',
  'message:From',
  'message:InternetMessageId',
  'message:IsRead',
  'message:ReplyTo',
] as const;

export type FieldUri = (typeof FIELD_ORDER)[number];

const DEFAULT_FIELDS: readonly FieldUri[] = [
  'item:Subject',
  'item:Sensitivity',
  'item:Body',
  'item:Attachments',
  'item:Size',
  'item:DateTimeSent',
  'item:DateTimeCreated',
  'item:HasAttachments',
  'message:ToRecipients',
  'message:IsReadReceiptRequested',
  'message:IsDeliveryReceiptRequested',
  'message:From',
  'message:IsRead',
];

/** FindItem cannot return these (Exchange answers ErrorInvalidPropertyRequest when asked explicitly). */
export const NOT_IN_FIND: ReadonlySet<string> = new Set([
  'item:Body',
  'item:Attachments',
  'message:ToRecipients',
  'message:CcRecipients',
  'message:BccRecipients',
  'message:ReplyTo',
]);

export type BodyTypeWanted = 'Best' | 'HTML' | 'Text';

export interface ItemShape {
  fields: Set<FieldUri>;
  /** FieldURIs named in AdditionalProperties (checked against NOT_IN_FIND). */
  explicit: string[];
  extended: Array<{ key: string; path: ExtendedPropertyPath }>;
  bodyType: BodyTypeWanted;
  /** IncludeMimeContent: GetItem adds t:MimeContent (simulator/mime/mime-content.ts). */
  includeMimeContent?: boolean;
  /** Whether the shape is FindItem's (kind-specific renderers leave out what FindItem cannot return). */
  find: boolean;
  /** The requested BaseShape (kind-specific fields such as contacts:* and task:* follow it). */
  base: string;
}

function isFieldUri(value: string): value is FieldUri {
  return (FIELD_ORDER as readonly string[]).includes(value);
}

export function parseItemShape(el: Element | undefined, forFind: boolean): ItemShape {
  const baseEl = el && childElement(el, 'BaseShape', TYPES_NS);
  const base = baseEl ? simpleText(baseEl).trim() : 'IdOnly';
  const fields = new Set<FieldUri>(
    base === 'AllProperties'
      ? FIELD_ORDER.filter((f) => f !== 'item:ExtendedProperty' && !(forFind && NOT_IN_FIND.has(f)))
      : base === 'Default'
        ? DEFAULT_FIELDS.filter((f) => !(forFind && NOT_IN_FIND.has(f)))
        : [],
  );
  const bodyTypeEl = el && childElement(el, 'BodyType', TYPES_NS);
  const bodyTypeText = bodyTypeEl ? simpleText(bodyTypeEl).trim() : 'Best';
  const shape: ItemShape = {
    fields,
    explicit: [],
    extended: [],
    bodyType: bodyTypeText === 'HTML' || bodyTypeText === 'Text' ? bodyTypeText : 'Best',
    find: forFind,
    base,
  };
  const mimeEl = el && childElement(el, 'IncludeMimeContent', TYPES_NS);
  shape.includeMimeContent = mimeEl !== undefined && ['true', '1'].includes(simpleText(mimeEl).trim());
  const additional = el && childElement(el, 'AdditionalProperties', TYPES_NS);
  for (const path of additional ? childElements(additional, undefined, TYPES_NS) : []) {
    if (path.localName === 'ExtendedFieldURI') {
      shape.extended.push(parseExtendedFieldUri(path));
    } else if (path.localName === 'FieldURI') {
      const uri = attr(path, 'FieldURI') ?? '';
      shape.explicit.push(uri);
      if (isFieldUri(uri)) fields.add(uri);
    }
  }
  return shape;
}
