// A resident's photos, by tracking number + 查询码: add photos to an open case from the status page
// (multipart: `code` and `photos`), and read each photo back. The bytes served are the cleaned copy.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { getAnsweringCase } from '../../../core/db/cases';
import { getMessageByTrackingNo } from '../../../core/db/messages';
import { countPhotos, getPhotoBytes } from '../../../core/db/photos';
import { addResidentPhotos } from '../../../core/photos/add';
import { sameCode } from '../../../core/messages/status';
import type { AppDeps, AppEnv } from '../../deps';
import { ApiError, validationError } from '../../errors';
import { validate } from '../../validate';
import { assertNotLockedOut, withCodeAttempt } from '../messages/caller';
import { isMultipart, jsonOrMultipartLimit, parseMultipart } from '../messages/photo-upload';
import { codeQuery, trackingParam } from './index';

/** photos one tracking number may hold in all (the form's and those added later) */
export const PHOTOS_PER_MESSAGE = 12;
const CLOSED = new Set(['closed', 'rated', 'merged']);

export function residentPhotoRoutes(deps: AppDeps) {
  // built here, not at load: ./index imports this file before its own schemas exist
  const photoParam = trackingParam.extend({ photoId: z.coerce.number({ message: '图片编号须为数字' }).int().positive('图片编号须为正整数') });
  const find = async (c: Context, trackingNo: string, code: string) => {
    const m = await withCodeAttempt(c, deps, trackingNo, async () => {
      const found = await getMessageByTrackingNo(deps.db.sql, trackingNo);
      return found && sameCode(found.queryCode, code) ? found : null;
    });
    if (!m) throw new ApiError('not_found', '没有找到该留言，请核对受理编号和查询码 (no message with that tracking number and query code)');
    return m;
  };

  return new Hono<AppEnv>()
    .post('/:trackingNo/photos', validate('param', trackingParam), jsonOrMultipartLimit(1024), async (c) => {
      if (!isMultipart(c)) throw new ApiError('unsupported_media_type', '请以 multipart/form-data 上传图片 (send multipart/form-data with `code` and `photos`)');
      const { trackingNo } = c.req.valid('param');
      // a caller locked out for wrong codes is refused before the body is read
      await assertNotLockedOut(c, deps, trackingNo);
      // the code is read from the form before the files are looked at: a wrong code costs nothing else
      let parsedForm: Awaited<ReturnType<typeof c.req.parseBody>>;
      try {
        parsedForm = await c.req.parseBody({ all: true });
      } catch (err) {
        throw new ApiError('bad_request', `无法读取上传的表单，请重新选择图片后提交 (malformed multipart body: ${(err as Error).message})`);
      }
      const code = codeQuery.safeParse({ code: typeof parsedForm.code === 'string' ? parsedForm.code : undefined });
      if (!code.success) throw validationError(code.error, 'body');
      const m = await find(c, trackingNo, code.data.code);
      if (m.caseId) {
        const kase = await getAnsweringCase(deps.db.sql, m.caseId);
        if (kase && CLOSED.has(kase.status)) throw new ApiError('conflict', '工单已办结，不能再添加图片 (the case is closed)');
      }
      const already = await countPhotos(deps.db.sql, m.id);
      const { photos } = await parseMultipart(c, { alreadyStored: already, maxTotal: PHOTOS_PER_MESSAGE });
      if (!photos.length) throw new ApiError('validation_failed', '提交的内容有误：请选择要上传的图片', [{ field: 'photos', message: '请选择要上传的图片' }]);
      const stored = await addResidentPhotos(deps.db.sql, { messageId: m.id, actorId: `resident:${trackingNo}` }, photos);
      return c.json({ added: stored.length, photos: stored.map(({ id, width, height, mime }) => ({ id, width, height, mime })) }, 201);
    })
    .get('/:trackingNo/photos/:photoId', validate('param', photoParam), validate('query', codeQuery), async (c) => {
      const { trackingNo, photoId } = c.req.valid('param');
      const m = await find(c, trackingNo, c.req.valid('query').code);
      const p = await getPhotoBytes(deps.db.sql, photoId);
      // only the photos of this resident's own message
      if (!p || p.messageId !== m.id) throw new ApiError('not_found', '没有找到该图片 (no such photo)');
      return photoResponse(p);
    });
}

/** the stored image with headers that keep it an image (never sniffed as HTML) and out of shared caches */
export function photoResponse(p: { mime: string; bytes: Buffer }): Response {
  return new Response(new Uint8Array(p.bytes), {
    headers: {
      'content-type': p.mime,
      'content-length': String(p.bytes.length),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=3600',
      'content-security-policy': "default-src 'none'",
    },
  });
}
