/**
 * Row → port shapes that both Store adapters share (the adapters differ only in how their driver names the
 * columns): the TargetItemRecord rule and the attachment-content checks.
 */
import { RcError } from '../errors';
import type { JobId, JobKind, JobStatus, TargetItemRecord } from './store';

export interface TargetItemRow {
  jobId: JobId;
  kind: JobKind;
  status: JobStatus;
  /** ItemId / ChangeKey / Kind of the newest succeeded job on the item that recorded an ItemId (null: none). */
  itemId: string | null;
  changeKey: string | null;
  resultKind: JobKind | null;
}

/** The item is gone when the newest succeeded job on it was a Delete* job. */
export function targetItemRecord(row: TargetItemRow): TargetItemRecord {
  return {
    targetJobId: String(row.jobId),
    targetKind: row.kind,
    targetStatus: row.status,
    itemId: row.itemId,
    changeKey: row.changeKey,
    deleted: row.resultKind !== null && row.resultKind.startsWith('Delete'),
  };
}

/** An attachment row's bytes; a missing row or a file attachment (no SQL content) is an RcError. */
export function attachmentContent(
  attachmentId: string,
  row: { content: Buffer | null; filePath: string | null } | undefined,
): Buffer {
  if (!row) {
    throw new RcError(
      'not_found',
      `Attachment ${attachmentId} no longer exists in rc.JobAttachments (its job was deleted meanwhile).`,
    );
  }
  if (row.content === null) {
    throw new RcError(
      'internal',
      `Attachment ${attachmentId} is a file attachment (${row.filePath ?? 'no path'}): read it from the allowed ` +
        'directory, not from rc.JobAttachments.Content.',
    );
  }
  return row.content;
}
