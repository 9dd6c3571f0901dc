// A resident adds photos from the status page: stored with the message and, when the message is
// already on a case, written into the case's history (居民补充图片) in the same transaction, so staff
// see when evidence arrived, as they see a 补充材料 text.
import { appendCaseEvents, lockCaseStatus } from '../db/cases';
import { messageCaseId } from '../db/messages';
import { insertPhotos, type PhotoInfo } from '../db/photos';
import type { Sql } from '../db/connect';
import type { CleanPhoto } from './image';

export async function addResidentPhotos(
  sql: Sql,
  m: { messageId: number; actorId: string },
  photos: CleanPhoto[],
  at = new Date(),
): Promise<PhotoInfo[]> {
  return sql.begin(async (tx) => {
    const stored = await insertPhotos(tx, m.messageId, photos, 'status-page');
    if (!stored.length) return stored;
    // the case the message is on now (the worker may have opened it, or staff merged it, since the
    // caller looked): with that case locked, a merge cannot move the message away meanwhile
    let caseId = await messageCaseId(tx, m.messageId);
    let status = caseId === null ? undefined : await lockCaseStatus(tx, caseId);
    const now = await messageCaseId(tx, m.messageId);
    if (now !== caseId) status = (caseId = now) === null ? undefined : await lockCaseStatus(tx, now!);
    if (caseId !== null && status) {
      await appendCaseEvents(tx, caseId, [{
        type: 'photos-added', fromStatus: status, toStatus: status, actorKind: 'resident', actorId: m.actorId, at,
        data: { messageId: m.messageId, photoIds: stored.map((p) => p.id), count: stored.length },
      }]);
    }
    return stored;
  });
}
