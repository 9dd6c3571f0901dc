// Labelled data from staff corrections, for retraining the NLP models.
import type { Db } from './connect';

export const LABEL_FIELDS = ['category', 'requestType', 'urgency', 'sentiment'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export interface TrainingLabelInput {
  messageId: number;
  caseId: number | null;
  field: LabelField;
  label: string;
  predictedLabel: string | null;
  predictedConfidence: number | null;
  staffUsername: string | null;
}

export async function upsertTrainingLabel(sql: Db, l: TrainingLabelInput): Promise<void> {
  await sql`
    INSERT INTO training_labels (message_id, case_id, field, label, predicted_label, predicted_confidence, staff_username)
    VALUES (${l.messageId}, ${l.caseId}, ${l.field}, ${l.label}, ${l.predictedLabel}, ${l.predictedConfidence}, ${l.staffUsername})
    ON CONFLICT (message_id, field) DO UPDATE SET label = EXCLUDED.label, case_id = EXCLUDED.case_id,
      staff_username = EXCLUDED.staff_username, updated_at = now()`;
}

/** The corrected labels for one field with the message text they apply to (title + body, as the model reads it). */
export async function listTrainingLabels(sql: Db, field: LabelField): Promise<{ text: string; label: string }[]> {
  const rows = await sql<{ text: string; label: string }[]>`
    SELECT concat_ws(' ', m.title, m.body) AS text, l.label
    FROM training_labels l JOIN messages m ON m.id = l.message_id
    WHERE l.field = ${field} ORDER BY l.id`;
  return [...rows];
}

export async function countTrainingLabels(sql: Db): Promise<Record<string, number>> {
  const rows = await sql<{ field: string; n: number }[]>`SELECT field, count(*)::int AS n FROM training_labels GROUP BY field`;
  return Object.fromEntries(rows.map((r) => [r.field, r.n]));
}
