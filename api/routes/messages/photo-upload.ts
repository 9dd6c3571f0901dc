// Photos in a multipart body (the portal form, the status page): at most PHOTO_LIMITS.maxCount files of
// at most PHOTO_LIMITS.maxBytes each, every one checked by its bytes and cleaned of metadata before
// anything is stored. The file name and the part's Content-Type are ignored.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createHash } from 'node:crypto';
import { cleanPhoto, PHOTO_LIMITS, PhotoError, type CleanPhoto } from '../../../core/photos/image';
import { ApiError } from '../../errors';

export const PHOTO_FIELD = 'photos';
const MB = PHOTO_LIMITS.maxBytes / 1024 / 1024;
/** the whole multipart body: the photos plus room for the text fields and the part headers */
export const MULTIPART_MAX_BYTES = PHOTO_LIMITS.maxCount * PHOTO_LIMITS.maxBytes + 256 * 1024;

export const isMultipart = (c: Context) => /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');

/** the body limit of a route that takes JSON (`jsonMax`) or multipart with photos */
export function jsonOrMultipartLimit(jsonMax: number) {
  const json = bodyLimit({ maxSize: jsonMax, onError: () => { throw new ApiError('payload_too_large', `提交的内容过大：不超过 ${Math.round(jsonMax / 1024)} KB (request body is larger than ${Math.round(jsonMax / 1024)} KiB)`); } });
  const multi = bodyLimit({
    maxSize: MULTIPART_MAX_BYTES,
    onError: () => { throw new ApiError('payload_too_large', `图片过大：最多 ${PHOTO_LIMITS.maxCount} 张，每张不超过 ${MB} MB (multipart body too large)`, [{ field: PHOTO_FIELD, message: `最多 ${PHOTO_LIMITS.maxCount} 张，每张不超过 ${MB} MB` }]); },
  });
  return (c: Context, next: () => Promise<void>) => (isMultipart(c) ? multi(c, next) : json(c, next));
}

export interface ParsedMultipart {
  fields: Record<string, string>;
  photos: CleanPhoto[];
  /** what the raw record keeps of the files: name, declared type, size and hash, never the bytes */
  fileSummary: { name: string; declaredType: string; size: number; sha256: string }[];
}

const photoError = (message: string) => new ApiError('validation_failed', `提交的内容有误：${message}`, [{ field: PHOTO_FIELD, message }]);

/** Reads a multipart body: text fields, and the photos checked and cleaned (400 with a Chinese field message otherwise). */
export async function parseMultipart(c: Context, opts: { alreadyStored?: number; maxTotal?: number } = {}): Promise<ParsedMultipart> {
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch (err) {
    throw new ApiError('bad_request', `无法读取上传的表单 (malformed multipart body: ${(err as Error).message})`);
  }
  const fields: Record<string, string> = {};
  const files: File[] = [];
  for (const [k, v] of Object.entries(body)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') {
        if (k !== PHOTO_FIELD) fields[k] = item;
      } else if (k === PHOTO_FIELD) {
        // an empty file input sends one part with no name and no bytes
        if (item.size > 0 || item.name) files.push(item);
      } else {
        throw photoError(`图片须放在 ${PHOTO_FIELD} 字段中上传`);
      }
    }
  }
  if (files.length > PHOTO_LIMITS.maxCount) throw photoError(`图片过多：每次最多上传 ${PHOTO_LIMITS.maxCount} 张`);
  const maxTotal = opts.maxTotal;
  if (maxTotal !== undefined && (opts.alreadyStored ?? 0) + files.length > maxTotal) {
    throw photoError(`图片过多：每条留言最多 ${maxTotal} 张，已有 ${opts.alreadyStored ?? 0} 张`);
  }
  const photos: CleanPhoto[] = [];
  const fileSummary: ParsedMultipart['fileSummary'] = [];
  for (const [i, f] of files.entries()) {
    const which = files.length > 1 ? `第 ${i + 1} 张图片` : '图片';
    if (f.size > PHOTO_LIMITS.maxBytes) throw photoError(`${which}过大：每张不超过 ${MB} MB`);
    const bytes = Buffer.from(await f.arrayBuffer());
    try {
      photos.push(cleanPhoto(bytes));
    } catch (err) {
      if (err instanceof PhotoError) throw photoError(`${which}：${err.message}`);
      throw err;
    }
    fileSummary.push({ name: f.name.slice(0, 200), declaredType: f.type.slice(0, 100), size: f.size, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return { fields, photos, fileSummary };
}

/** a form checkbox or flag sent as text */
export const formFlag = (v: string | undefined) => v === 'true' || v === '1' || v === 'on' || v === 'yes';
