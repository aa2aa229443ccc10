/**
 * The MAPI extended properties rc-exchange puts on Exchange items (names and property set in gateway.ts): the
 * creating job, the last job that wrote the item, and the desired-state marker. One definition each, shared by
 * the mail, item and sync code, and the one way they read such a property back.
 */
import {
  ExtendedPropertyDefinition,
  Guid,
  MapiPropertyType,
  type IOutParam,
  type Item,
} from 'ews-javascript-api';
import {
  RC_JOB_ID_PROPERTY,
  RC_LAST_JOB_ID_PROPERTY,
  RC_PROPERTY_SET_ID,
  RC_SYNC_FIELDS_PROPERTY,
  RC_SYNC_KEY_PROPERTY,
  RC_SYNC_SET_PROPERTY,
} from '../gateway';

const rcString = (name: string) =>
  new ExtendedPropertyDefinition(new Guid(RC_PROPERTY_SET_ID), name, MapiPropertyType.String);

/** The rc JobId of the job that created (or sent) the item. */
export const JOB_ID_PROPERTY = rcString(RC_JOB_ID_PROPERTY);
/** The rc JobId of the last job that updated the item. */
export const LAST_JOB_ID_PROPERTY = rcString(RC_LAST_JOB_ID_PROPERTY);
/** SyncMarker.setKey / externalKey / appliedFields. */
export const SYNC_SET_PROPERTY = rcString(RC_SYNC_SET_PROPERTY);
export const SYNC_KEY_PROPERTY = rcString(RC_SYNC_KEY_PROPERTY);
export const SYNC_FIELDS_PROPERTY = rcString(RC_SYNC_FIELDS_PROPERTY);

/** A loaded string property's value; null when the item does not carry it. */
export function stringProperty(item: Item, property: ExtendedPropertyDefinition): string | null {
  const value: IOutParam<unknown> = { outValue: null };
  return item.TryGetProperty(property, value) && value.outValue !== null ? String(value.outValue) : null;
}
