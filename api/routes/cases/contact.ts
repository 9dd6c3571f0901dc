// GET /api/v1/cases/:id/contact: the name, phone, address and handle each resident on the case gave,
// unmasked, for the staff who contact residents (联系诉求人): the centre, admins and the department
// that holds the case. Leaders read masked views only (403). The read is written to the audit trail
// before the data is answered: no audit row, no data.
import { Hono } from 'hono';
import { canSeeCase } from '../../../core/auth/permissions';
import type { StaffRole } from '../../../core/auth/staff';
import { getCase } from '../../../core/db/cases';
import { listMessagesForCase } from '../../../core/db/messages';
import { audit, requireStaff, type StaffEnv } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError } from '../../errors';
import { validate } from '../../validate';
import { idParam } from './service';

/** the roles that call residents back */
export const CONTACT_ROLES: readonly StaffRole[] = ['admin', 'centre', 'department'];

export function caseContactRoutes(deps: AppDeps) {
  return new Hono<StaffEnv>().get('/:id/contact', requireStaff(deps, CONTACT_ROLES), validate('param', idParam), async (c) => {
    const { id } = c.req.valid('param');
    const row = await getCase(deps.db.sql, id);
    if (!row) throw new ApiError('not_found', `no case ${id}`);
    if (!canSeeCase(c.get('staff'), row.departmentCode)) throw new ApiError('forbidden', '只能查看本单位工单的联系方式 (not your department’s case)');
    const messages = await listMessagesForCase(deps.db.sql, id);
    const contacts = messages.map((m) => ({
      messageId: m.id, trackingNo: m.trackingNo, channel: m.channel, receivedAt: m.receivedAt,
      name: m.contactName, phone: m.contactPhone, handle: m.contactHandle, address: m.address,
    }));
    await audit(c, deps, { action: 'contact.read', caseId: id, detail: { messageIds: contacts.map((x) => x.messageId), fields: ['name', 'phone', 'handle', 'address'] } });
    return c.json({ caseId: id, contacts });
  });
}
