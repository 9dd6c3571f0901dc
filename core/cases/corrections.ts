// Staff correct what the NLP read (category, request type, urgency, sentiment). The case takes the
// corrected values, the audit trail records before and after, and every message on the case becomes
// labelled data for retraining. A correction of urgency or type also updates the classification the
// lifecycle uses for deadlines from the next dispatch on; deadlines already given are not moved.
import { z } from 'zod';
import type { Db, Sql } from '../db/connect';
import { appendCaseEvents, getCaseForUpdate } from '../db/cases';
import { upsertTrainingLabel, type LabelField } from '../db/training-labels';
import { categoryLabels } from '../nlp/category';
import { requestTypeSchema, sentimentLabelSchema, urgencySchema } from '../nlp/types';

export const correctionSchema = z
  .object({
    category: z.string().min(1).max(50).optional(),
    requestType: requestTypeSchema.optional(),
    urgency: urgencySchema.optional(),
    sentiment: sentimentLabelSchema.optional(),
    /** true: the predictions not corrected here are right; they become labels too */
    confirmRest: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.category !== undefined && !categoryLabels().includes(v.category)) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: `unknown category; one of ${categoryLabels().join(' ')}` });
    }
    if (!v.confirmRest && v.category === undefined && v.requestType === undefined && v.urgency === undefined && v.sentiment === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one corrected field, or confirmRest: true' });
    }
  });
export type Correction = z.infer<typeof correctionSchema>;

export class CorrectionError extends Error {
  constructor(readonly code: 'not_found' | 'conflict', message: string) {
    super(message);
    this.name = 'CorrectionError';
  }
}

const COLUMN_OF: Record<LabelField, { value: string; confidence: string | null }> = {
  category: { value: 'category', confidence: 'category_confidence' },
  requestType: { value: 'request_type', confidence: 'type_confidence' },
  urgency: { value: 'urgency', confidence: null },
  sentiment: { value: 'sentiment', confidence: null },
};

export async function correctCase(
  sql: Sql,
  caseId: number,
  correction: Correction,
  staff: { username: string },
  at: Date = new Date(),
): Promise<{ changed: Partial<Record<LabelField, { from: string | null; to: string }>>; labelled: number }> {
  return sql.begin(async (tx) => {
        const row = await getCaseForUpdate(tx, caseId);
    if (!row) throw new CorrectionError('not_found', `no case ${caseId}`);
    if (row.status === 'merged') throw new CorrectionError('conflict', `case ${caseId} was merged into case ${row.mergedInto}; correct that case`);
    const current: Record<LabelField, { label: string | null; confidence: number | null }> = {
      category: { label: row.category, confidence: row.categoryConfidence },
      requestType: { label: row.requestType, confidence: row.typeConfidence },
      urgency: { label: row.urgency, confidence: null },
      sentiment: { label: row.sentiment, confidence: null },
    };
    const changed: Partial<Record<LabelField, { from: string | null; to: string }>> = {};
    const labels: Partial<Record<LabelField, string>> = {};
    for (const field of Object.keys(COLUMN_OF) as LabelField[]) {
      const given = correction[field];
      if (given !== undefined) {
        labels[field] = given;
        if (given !== current[field].label) changed[field] = { from: current[field].label, to: given };
      } else if (correction.confirmRest && current[field].label && current[field].label !== 'unknown') {
        labels[field] = current[field].label!;
      }
    }
    for (const [field, c] of Object.entries(changed) as [LabelField, { to: string }][]) {
      const col = COLUMN_OF[field];
      await tx.unsafe(
        `UPDATE cases SET ${col.value} = $1${col.confidence ? `, ${col.confidence} = 1` : ''} WHERE id = $2`,
        [c.to, caseId],
      );
    }
    // the lifecycle's classification drives deadlines from the next dispatch on
    for (const field of ['urgency', 'requestType'] as const) {
      if (changed[field]) {
        await tx`UPDATE cases SET lifecycle = jsonb_set(lifecycle, ${['classification', field]}, to_jsonb(${changed[field]!.to}::text))
                 WHERE id = ${caseId} AND lifecycle IS NOT NULL`;
      }
    }
    await tx`UPDATE cases SET needs_review = false, version = version + 1, updated_at = ${at} WHERE id = ${caseId}`;
    await appendCaseEvents(tx, caseId, [
      {
        type: 'relabelled',
        fromStatus: row.status,
        toStatus: row.status,
        actorKind: 'staff',
        actorId: `staff:${staff.username}`,
        at,
        data: { changed, confirmed: Object.keys(labels).filter((f) => !(f in changed)) },
      },
    ]);
    const messages = await tx<{ id: number }[]>`SELECT id FROM messages WHERE case_id = ${caseId}`;
    for (const m of messages) {
      for (const [field, label] of Object.entries(labels) as [LabelField, string][]) {
        await upsertTrainingLabel(tx, {
          messageId: m.id,
          caseId,
          field,
          label,
          predictedLabel: current[field].label,
          predictedConfidence: current[field].confidence,
          staffUsername: staff.username,
        });
      }
    }
    return { changed, labelled: messages.length * Object.keys(labels).length };
  });
}

/** The triage queue (人工复核): open cases the NLP was unsure of, least confident first. */
export async function listTriage(sql: Sql, limit: number, offset: number) {
  const rows = await sql<
    {
      id: number; trackingNo: string; status: string; title: string | null; summary: string; channel: string;
      category: string | null; categoryConfidence: number | null; requestType: string | null; typeConfidence: number | null;
      urgency: string; sentiment: string | null; district: string | null; departmentCode: string | null; createdAt: Date;
      reviewReasons: string[] | null;
    }[]
  >`
    SELECT c.id, c.tracking_no AS "trackingNo", c.status, c.title, c.summary, c.channel, c.category,
      c.category_confidence AS "categoryConfidence", c.request_type AS "requestType", c.type_confidence AS "typeConfidence",
      c.urgency, c.sentiment, c.district, c.department_code AS "departmentCode", c.created_at AS "createdAt",
      (SELECT array(SELECT jsonb_array_elements_text(m.analysis -> 'reviewReasons'))
         FROM messages m WHERE m.case_id = c.id AND m.analysis ? 'reviewReasons' ORDER BY m.id LIMIT 1) AS "reviewReasons"
    FROM cases c
    WHERE c.needs_review AND c.status NOT IN ('closed', 'rated', 'merged')
    ORDER BY least(coalesce(c.category_confidence, 0), coalesce(c.type_confidence, 0)) ASC, c.created_at ASC
    LIMIT ${limit} OFFSET ${offset}`;
  const [{ total }] = await sql<{ total: number }[]>`
    SELECT count(*)::int AS total FROM cases WHERE needs_review AND status NOT IN ('closed', 'rated', 'merged')`;
  return { total, items: [...rows] };
}
