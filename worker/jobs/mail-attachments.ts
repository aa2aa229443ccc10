/**
 * The attachments of a SendMail job as the gateway gets them: rc.JobAttachments rows in Ordinal order, each with a
 * lazy `read()` so the gateway holds one attachment's bytes at a time (SQL content read by
 * Store.readAttachmentContent, @file_attachments files read from the allowed directory). Everything that can be
 * checked without the bytes is checked here, before anything reaches Exchange: every file exists inside
 * RC_FILE_ATTACHMENT_DIR, and body plus attachments stay within 35 MB (rc_SendMail checks the SQL content at
 * enqueue time; file sizes are only known here).
 */
import { RcError } from '../errors';
import type { OutgoingAttachment } from '../exchange/gateway';
import type { JobAttachment, JobId } from '../db/store';
import { contentTypeFor } from './attachment-content-type';
import { checkFileAttachment, readCheckedFile } from './file-attachment';
import type { JobStore } from './job-handler';

/** Exchange's default message size limit, as rc_SendMail applies it (error 50039): body characters + bytes. */
export const MAX_MESSAGE_BYTES = 35 * 1024 * 1024;

export interface LoadedAttachments {
  attachments: OutgoingAttachment[];
  /** Sum of the attachments' sizes in bytes (SQL content and files). */
  totalBytes: number;
}

function fromSql(store: JobStore, row: JobAttachment): OutgoingAttachment {
  return {
    name: row.name,
    contentType: row.contentType ?? contentTypeFor(row.name),
    contentId: row.contentId,
    isInline: row.isInline,
    read: () => store.readAttachmentContent(row.attachmentId),
  };
}

/** The job's attachments, checked; `bodyLength` (characters) counts towards the 35 MB like in rc_SendMail. */
export async function loadMailAttachments(
  store: JobStore,
  jobId: JobId,
  fileAttachmentDir: string | null,
  bodyLength: number,
): Promise<LoadedAttachments> {
  const rows = await store.listAttachments(jobId);
  const attachments: OutgoingAttachment[] = [];
  let totalBytes = 0;
  for (const row of rows) {
    if (row.filePath === null) {
      attachments.push(fromSql(store, row));
      totalBytes += row.sizeBytes ?? 0;
      continue;
    }
    const file = await checkFileAttachment(jobId, row.filePath, fileAttachmentDir);
    totalBytes += file.sizeBytes;
    attachments.push({
      name: row.name,
      contentType: row.contentType ?? contentTypeFor(row.name),
      contentId: row.contentId,
      isInline: row.isInline,
      read: () => readCheckedFile(jobId, file),
    });
  }
  if (bodyLength + totalBytes > MAX_MESSAGE_BYTES) {
    throw new RcError(
      'payload_invalid',
      `SendMail job ${jobId}: body and attachments are ${bodyLength + totalBytes} bytes together (files in @file_attachments included), at most 35 MB (${MAX_MESSAGE_BYTES} bytes) are allowed (Exchange's default message size). Send smaller or fewer files, or a link to them.`,
    );
  }
  return { attachments, totalBytes };
}
