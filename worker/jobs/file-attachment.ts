/**
 * rc_SendMail's @file_attachments on the worker side: a path SQL accepted only by its form is read only when it
 * lies in the directory the operator allowed (RC_FILE_ATTACHMENT_DIR), after every symbolic link is resolved.
 * Without that setting no file is read at all. Every refusal is a permanent RcError whose message names the path
 * and the fix; SQL never sees file contents, so a DBA cannot read the worker's files through a mail.
 *
 * Check and read are two steps (the check runs before anything is sent, the read when the gateway uploads the
 * attachment), so the read opens the checked real path without following a final symbolic link and makes sure
 * it is still the same, unchanged file (device, inode and change time: a file system may give a new file the inode
 * of a deleted one), not one swapped in between.
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { RcError } from '../errors';
import type { JobId } from '../db/store';

/** A file attachment that passed the checks: its resolved path, identity and size at check time. */
export interface CheckedFile {
  /** The path as rc_SendMail stored it (for messages). */
  requested: string;
  /** The real path (every symbolic link resolved) inside the allowed directory. */
  realPath: string;
  sizeBytes: number;
  dev: number;
  ino: number;
  ctimeMs: number;
}

const FIX_SETTING =
  'Set RC_FILE_ATTACHMENT_DIR in the worker environment to the directory that holds the files (e.g. /srv/rc-files), ' +
  'restart the worker and retry the job with rc_RetryJob, or pass the bytes in @attachments instead.';

/** Is `candidate` (a real path) the directory `dir` (a real path) or below it? */
export function isInsideDirectory(
  dir: string,
  candidate: string,
  pathApi: path.PlatformPath = path,
): boolean {
  const relative = pathApi.relative(dir, candidate);
  if (relative === '') return false; // the directory itself is no file
  if (pathApi.isAbsolute(relative)) return false; // another drive (Windows)
  return relative.split(pathApi.sep)[0] !== '..';
}

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a file-system error while checking or reading `requested` to an RcError. */
function fileError(jobId: JobId, requested: string, err: unknown): RcError {
  const code = errnoOf(err);
  const what = `SendMail job ${jobId}: @file_attachments "${requested}"`;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new RcError(
      'not_found',
      `${what} does not exist. Put the file there before the mail is sent (or correct the path) and retry the job with rc_RetryJob.`,
      { cause: err },
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new RcError(
      'access_denied',
      `${what} cannot be read by the worker's account (${code}). Grant it read access and retry the job with rc_RetryJob.`,
      { cause: err },
    );
  }
  if (code === 'ELOOP') {
    return new RcError(
      'access_denied',
      `${what} was replaced by a symbolic link after it was checked; the worker does not follow it. Retry the job with rc_RetryJob once the file is in place.`,
      { cause: err },
    );
  }
  // EMFILE, EIO, a stale network mount …: may well work on the next attempt.
  return new RcError('internal', `${what} could not be read: ${(err as Error)?.message ?? String(err)}`, {
    retryable: true,
    cause: err,
  });
}

/**
 * Checks one @file_attachments path against the allowed directory: it must resolve (symbolic links included) to a
 * regular file inside that directory. Throws a permanent RcError naming the path and the fix otherwise.
 */
export async function checkFileAttachment(
  jobId: JobId,
  requested: string,
  allowedDir: string | null,
): Promise<CheckedFile> {
  if (allowedDir === null) {
    throw new RcError(
      'access_denied',
      `SendMail job ${jobId}: @file_attachments names "${requested}", but the worker reads no files because RC_FILE_ATTACHMENT_DIR is not set. ${FIX_SETTING}`,
    );
  }
  let realDir: string;
  try {
    realDir = await realpath(allowedDir);
  } catch (err) {
    throw new RcError(
      'access_denied',
      `SendMail job ${jobId}: RC_FILE_ATTACHMENT_DIR "${allowedDir}" cannot be resolved (${errnoOf(err) ?? (err as Error).message}), so @file_attachments "${requested}" is not read. ${FIX_SETTING}`,
      { cause: err },
    );
  }
  const outside = (resolved: string) =>
    new RcError(
      'access_denied',
      `SendMail job ${jobId}: @file_attachments "${requested}" ${resolved === requested ? 'is' : `resolves to "${resolved}", which is`} not inside the directory the worker allows (RC_FILE_ATTACHMENT_DIR = "${allowedDir}"). Move the file into that directory and name it by its path there, or change RC_FILE_ATTACHMENT_DIR.`,
    );
  // A path that is not absolute for this worker (a Windows path on Linux, say) names nothing it may read.
  if (!path.isAbsolute(requested)) throw outside(requested);
  const lexical = path.resolve(requested);
  if (!isInsideDirectory(path.resolve(allowedDir), lexical) && !isInsideDirectory(realDir, lexical)) {
    throw outside(requested);
  }
  let realPath: string;
  try {
    realPath = await realpath(lexical);
  } catch (err) {
    throw fileError(jobId, requested, err);
  }
  if (!isInsideDirectory(realDir, realPath)) throw outside(realPath);
  let info;
  try {
    info = await stat(realPath);
  } catch (err) {
    throw fileError(jobId, requested, err);
  }
  if (!info.isFile()) {
    throw new RcError(
      'payload_invalid',
      `SendMail job ${jobId}: @file_attachments "${requested}" is not a regular file (a directory or device). Name a file.`,
    );
  }
  return { requested, realPath, sizeBytes: info.size, dev: info.dev, ino: info.ino, ctimeMs: info.ctimeMs };
}

/** Reads a checked file; it must still be the same file (no symbolic link swapped in since the check). */
export async function readCheckedFile(jobId: JobId, file: CheckedFile): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file.realPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    throw fileError(jobId, file.requested, err);
  }
  try {
    const info = await handle.stat();
    if (info.dev !== file.dev || info.ino !== file.ino || info.ctimeMs !== file.ctimeMs) {
      throw new RcError(
        'access_denied',
        `SendMail job ${jobId}: @file_attachments "${file.requested}" was replaced or changed after it was checked; the worker does not read it. Retry the job with rc_RetryJob once the file is complete.`,
      );
    }
    return await handle.readFile();
  } catch (err) {
    throw err instanceof RcError ? err : fileError(jobId, file.requested, err);
  } finally {
    await handle.close();
  }
}
