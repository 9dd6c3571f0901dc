// Staff correct what the NLP read (category, request type, urgency, sentiment). The case takes the
// corrected values, the audit trail records before and after, and every message on the case becomes
// labelled data for retraining. A correction of urgency or type also updates the classification the
// lifecycle uses for deadlines from the next dispatch on; deadlines already given are not moved.
import { z } from 'zod';
import type { Sql } from '../db/connect';
import { appendCaseEvents, getCaseForUpdate, markCaseReviewed, setCaseLabel, setLifecycleClassification } from '../db/cases';
import { listMessageIdsForCase } from '../db/messages';
import { LABEL_FIELDS, upsertTrainingLabel, type LabelField } from '../db/training-labels';
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
    for (const field of LABEL_FIELDS) {
      const given = correction[field];
      if (given !== undefined) {
        labels[field] = given;
        if (given !== current[field].label) changed[field] = { from: current[field].label, to: given };
      } else if (correction.confirmRest && current[field].label && current[field].label !== 'unknown') {
        labels[field] = current[field].label!;
      }
    }
    for (const [field, c] of Object.entries(changed) as [LabelField, { to: string }][]) await setCaseLabel(tx, caseId, field, c.to);
    // the lifecycle's classification drives deadlines from the next dispatch on
    for (const field of ['urgency', 'requestType'] as const) {
      if (changed[field]) await setLifecycleClassification(tx, caseId, field, changed[field]!.to);
    }
    await markCaseReviewed(tx, caseId, at);
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
    const messageIds = await listMessageIdsForCase(tx, caseId);
    for (const messageId of messageIds) {
      for (const [field, label] of Object.entries(labels) as [LabelField, string][]) {
        await upsertTrainingLabel(tx, {
          messageId,
          caseId,
          field,
          label,
          predictedLabel: current[field].label,
          predictedConfidence: current[field].confidence,
          staffUsername: staff.username,
        });
      }
    }
    return { changed, labelled: messageIds.length * Object.keys(labels).length };
  });
}
