/**
 * The content type of an attachment whose caller gave none: from the file name's extension, else
 * application/octet-stream (what Exchange itself assumes). A short table of the types business mail carries
 * (documents, spreadsheets, images for inline use, archives, calendar and text exports) rather than a registry
 * dependency: the answer must be the same on every worker, and an unlisted type is still delivered, only as
 * octet-stream.
 */
const BY_EXTENSION: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // documents
    pdf: 'application/pdf',
    rtf: 'application/rtf',
    doc: 'application/msword',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xls: 'application/vnd.ms-excel',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ppt: 'application/vnd.ms-powerpoint',
    pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    odt: 'application/vnd.oasis.opendocument.text',
    ods: 'application/vnd.oasis.opendocument.spreadsheet',
    odp: 'application/vnd.oasis.opendocument.presentation',
    // text and data
    txt: 'text/plain',
    log: 'text/plain',
    csv: 'text/csv',
    tsv: 'text/tab-separated-values',
    htm: 'text/html',
    html: 'text/html',
    xml: 'application/xml',
    json: 'application/json',
    ics: 'text/calendar',
    vcf: 'text/vcard',
    eml: 'message/rfc822',
    // images (inline images in HTML mail)
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    bmp: 'image/bmp',
    svg: 'image/svg+xml',
    webp: 'image/webp',
    tif: 'image/tiff',
    tiff: 'image/tiff',
    ico: 'image/x-icon',
    // archives
    zip: 'application/zip',
    gz: 'application/gzip',
    tar: 'application/x-tar',
    '7z': 'application/x-7z-compressed',
    // audio and video
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    mp4: 'video/mp4',
  }),
);

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** 'Invoice 4711.PDF' → 'application/pdf'; no or unknown extension → application/octet-stream. */
export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return DEFAULT_CONTENT_TYPE;
  return BY_EXTENSION.get(fileName.slice(dot + 1).toLowerCase()) ?? DEFAULT_CONTENT_TYPE;
}
