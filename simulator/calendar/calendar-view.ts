/**
 * FindItem with m:CalendarView: single items that overlap [StartDate, EndDate) and the occurrences of recurring
 * masters expanded in the window (in the event's own time zone), sorted by start, cut at MaxEntriesReturned.
 * Occurrences get stable opaque ItemIds (derived from the master's id and the occurrence's start) that GetItem
 * accepts.
 */
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { MailboxStore } from '../mailbox-store';
import type { Folder, Mailbox, StoredItem } from '../model';
import { assertMailboxAccess, type EwsContext } from '../ews/context';
import { EwsError } from '../ews/ews-error';
import type { ItemShape } from '../ews/item-shape';
import { renderMessage } from '../ews/write-item';
import { attr } from '../ews/xml';
import { detailsOf, parseDateTime, zoneOf } from './calendar-fields';
import { expandRecurrence } from './recurrence';

const ITEM_PREFIX = Buffer.from([0x00, 0x03, 0x24, 0x00]);
const OCCURRENCE_KIND = 0x4f;
const MAX_ENTRIES = 1000;

interface OccurrenceRef {
  masterId: string;
  start: number;
}

const occurrenceIds = new WeakMap<MailboxStore, Map<string, OccurrenceRef>>();

function registry(store: MailboxStore): Map<string, OccurrenceRef> {
  let map = occurrenceIds.get(store);
  if (!map) {
    map = new Map();
    occurrenceIds.set(store, map);
  }
  return map;
}

function occurrenceId(store: MailboxStore, master: StoredItem, start: Date): string {
  const tail = createHash('sha256').update(`${master.id}|${start.toISOString()}`).digest().subarray(0, 22);
  const id = Buffer.concat([
    ITEM_PREFIX,
    Buffer.from(master.mailbox.guid, 'ascii'),
    Buffer.from([0x00, OCCURRENCE_KIND]),
    tail,
  ]).toString('base64');
  registry(store).set(id, { masterId: master.id, start: start.getTime() });
  return id;
}

/** The view of one occurrence of `master`: its own id, start and end, CalendarItemType Occurrence. */
function occurrenceView(master: StoredItem, id: string, start: Date, end: Date): StoredItem {
  const cal = master.calendar;
  if (!cal) return master;
  const details = detailsOf(cal);
  return {
    ...master,
    id,
    calendar: { ...cal, start, end, details: { ...details, occurrenceOf: master.id } },
  };
}

/** The occurrence an ItemId names, when it names one whose master still exists; undefined otherwise. */
export function findOccurrence(ctx: EwsContext, id: string): StoredItem | undefined {
  const ref = registry(ctx.store).get(id);
  const master = ref && ctx.store.getItem(ref.masterId);
  const cal = master?.calendar;
  if (!ref || !master || !cal) return undefined;
  if (!master.mailbox.isPublic) assertMailboxAccess(ctx, master.mailbox);
  const duration = cal.end.getTime() - cal.start.getTime();
  return occurrenceView(master, id, new Date(ref.start), new Date(ref.start + duration));
}

function instancesIn(store: MailboxStore, item: StoredItem, from: Date, to: Date): StoredItem[] {
  const cal = item.calendar;
  if (item.kind !== 'CalendarItem' || !cal) return [];
  const recurrence = cal.details?.recurrence;
  if (!recurrence) {
    const overlaps =
      cal.start.getTime() < to.getTime() &&
      (cal.end.getTime() > from.getTime() ||
        (cal.end.getTime() === cal.start.getTime() && cal.start >= from));
    return overlaps ? [item] : [];
  }
  return expandRecurrence(recurrence, cal.start, cal.end, zoneOf(cal), from, to).map((o) =>
    occurrenceView(item, occurrenceId(store, item, o.start), o.start, o.end),
  );
}

/** The m:RootFolder of a FindItem with CalendarView over `folder`. */
export function calendarViewRootFolder(
  ctx: EwsContext,
  folder: Folder,
  view: Element,
  shape: ItemShape,
): string {
  const startText = attr(view, 'StartDate');
  const endText = attr(view, 'EndDate');
  if (!startText || !endText)
    throw new EwsError('ErrorInvalidRequest', 'CalendarView needs StartDate and EndDate.');
  const from = parseDateTime(startText);
  const to = parseDateTime(endText);
  if (to.getTime() < from.getTime()) {
    throw new EwsError('ErrorCalendarEndDateIsEarlierThanStartDate', 'EndDate is earlier than StartDate');
  }
  const maxText = attr(view, 'MaxEntriesReturned');
  const max = maxText === undefined ? MAX_ENTRIES : Number(maxText);
  if (!Number.isInteger(max) || max < 1) {
    throw new EwsError('ErrorInvalidPagingMaxRows', 'The specified paging MaxEntriesReturned is invalid.');
  }
  const instances = [...folder.items.values()]
    .flatMap((item) => instancesIn(ctx.store, item, from, to))
    .sort((a, b) => (a.calendar?.start.getTime() ?? 0) - (b.calendar?.start.getTime() ?? 0));
  const shown = instances.slice(0, Math.min(max, MAX_ENTRIES));
  const lookup = (address: string): Mailbox | undefined => ctx.store.getMailbox(address);
  const rendered = shown.map((item) => renderMessage(item, shape, lookup)).join('');
  return (
    `<m:RootFolder TotalItemsInView="${shown.length}" IncludesLastItemInRange="${shown.length === instances.length}">` +
    `<t:Items>${rendered}</t:Items></m:RootFolder>`
  );
}
