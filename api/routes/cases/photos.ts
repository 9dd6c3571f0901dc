// Staff read the residents' photos of a case (thumbnails in the case drawer): the same access as the case itself.
import { Hono } from 'hono';
import { z } from 'zod';
import { canSeeCase, STAFF_AREAS } from '../../../core/auth/permissions';
import { getCaseWithLifecycle } from '../../../core/db/cases';
import { getPhotoBytes, listCasePhotos } from '../../../core/db/photos';
import { requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { photoResponse } from '../resident/photos';
import { idParam } from './service';

export const casePhotoParam = idParam.extend({ photoId: z.coerce.number({ message: '图片编号须为数字' }).int().positive('图片编号须为正整数') });

export function casePhotoRoutes(deps: AppDeps) {
  const staff = requireStaff(deps, STAFF_AREAS.cases);
  const visibleCase = async (user: Parameters<typeof canSeeCase>[0], id: number) => {
    const loaded = await getCaseWithLifecycle(deps.db.sql, id);
    if (!loaded) throw new ApiError('not_found', `没有编号为 ${id} 的工单 (no case ${id})`);
    if (!canSeeCase(user, loaded.row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位的工单 (not your department’s case)');
  };
  return new Hono<StaffEnv>()
    .get('/:id/photos', staff, validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await visibleCase(c.get('staff'), id);
      return c.json({ items: await listCasePhotos(deps.db.sql, id) });
    })
    .get('/:id/photos/:photoId', staff, validate('param', casePhotoParam), async (c) => {
      const { id, photoId } = c.req.valid('param');
      await visibleCase(c.get('staff'), id);
      const p = await getPhotoBytes(deps.db.sql, photoId);
      const onCase = p && (await listCasePhotos(deps.db.sql, id)).some((x) => x.id === photoId);
      if (!p || !onCase) throw new ApiError('not_found', '没有找到该图片 (no such photo on this case)');
      return photoResponse(p);
    });
}
