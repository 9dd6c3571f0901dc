// A resident adds photos from the status page: stored with the message and, when the message is
// already on a case, written into the case's history (居民补充图片) in the same transaction, so staff
// see when evidence arrived, as they see a 补充材料 text.
import { appendCaseEvents, lockCaseStatus } from '../db/cases';
import { insertPhotos, type PhotoInfo } from '../db/photos';
import type { Sql } from '../db/connect';
import type { CleanPhoto } from './image';

export async function addResidentPhotos(
  sql: Sql,
  m: { messageId: number; caseId: number | null; actorId: string },
  photos: CleanPhoto[],
  at = new Date(),
): Promise<PhotoInfo[]> {
  return sql.begin(async (tx) => {
    const stored = await insertPhotos(tx, m.messageId, photos, 'status-page');
    if (stored.length && m.caseId !== null) {
      const status = await lockCaseStatus(tx, m.caseId);
      if (status) {
        await appendCaseEvents(tx, m.caseId, [{
          type: 'photos-added', fromStatus: status, toStatus: status, actorKind: 'resident', actorId: m.actorId, at,
          data: { messageId: m.messageId, photoIds: stored.map((p) => p.id), count: stored.length },
        }]);
      }
    }
    return stored;
  });
}
