/**
 * Opaque, Exchange-looking identifiers. ItemIds and FolderIds are base64 of a binary blob that starts like
 * Exchange's (so "AAMkA…" / "AQMkA…") and embeds the mailbox GUID; ChangeKeys start like a message change key
 * ("CQAAABYAAAA…") and are regenerated on every write. Clients must treat all of them as opaque strings.
 */
import { randomBytes, randomUUID } from 'node:crypto';

const ITEM_PREFIX = Buffer.from([0x00, 0x03, 0x24, 0x00]);
const FOLDER_PREFIX = Buffer.from([0x01, 0x03, 0x24, 0x00]);
const ITEM_CHANGE_PREFIX = Buffer.from([0x09, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00]);
const FOLDER_CHANGE_PREFIX = Buffer.from([0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00]);
const GUID_LENGTH = 36;
const TAIL = 22;
const ID_LENGTH = ITEM_PREFIX.length + GUID_LENGTH + 2 + TAIL;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function newMailboxGuid(): string {
  return randomUUID();
}

function makeId(prefix: Buffer, mailboxGuid: string, kind: number): string {
  return Buffer.concat([
    prefix,
    Buffer.from(mailboxGuid, 'ascii'),
    Buffer.from([0x00, kind]),
    randomBytes(TAIL),
  ]).toString('base64');
}

export function newItemId(mailboxGuid: string): string {
  return makeId(ITEM_PREFIX, mailboxGuid, 0x46);
}

export function newFolderId(mailboxGuid: string): string {
  return makeId(FOLDER_PREFIX, mailboxGuid, 0x2e);
}

export function newItemChangeKey(): string {
  return Buffer.concat([ITEM_CHANGE_PREFIX, randomBytes(TAIL)]).toString('base64');
}

export function newFolderChangeKey(): string {
  return Buffer.concat([FOLDER_CHANGE_PREFIX, randomBytes(TAIL)]).toString('base64');
}

function hasShape(id: string, prefix: Buffer): boolean {
  if (!BASE64.test(id)) return false;
  const bytes = Buffer.from(id, 'base64');
  return bytes.length === ID_LENGTH && bytes.subarray(0, prefix.length).equals(prefix);
}

/** False for anything Exchange would answer with ErrorInvalidIdMalformed. */
export function isWellFormedItemId(id: string): boolean {
  return hasShape(id, ITEM_PREFIX);
}

export function isWellFormedFolderId(id: string): boolean {
  return hasShape(id, FOLDER_PREFIX);
}
