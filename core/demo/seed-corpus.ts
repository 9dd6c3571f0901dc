// The hand-written seed corpus (lexicons/seed/messages.csv): labelled resident messages that
// train the shipped default category model and feed the demo generator.
import { z } from 'zod';
import { readCsvFile } from '../util/csv';
import { requestTypeSchema, sentimentLabelSchema, urgencySchema } from '../nlp/types';
import { shippedPath } from '../shipped/store';

/** 一级分类: the seven first-level categories of the city's classification. */
export const CATEGORIES = ['城乡建设', '劳动和社会保障', '教育文体', '商贸旅游', '环境保护', '卫生计生', '交通运输'] as const;
export const categorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof categorySchema>;

export const seedMessageSchema = z.object({
  text: z.string().min(10).max(1000),
  category: categorySchema,
  type: requestTypeSchema,
  urgency: urgencySchema,
  sentiment: sentimentLabelSchema,
});
export type SeedMessage = z.infer<typeof seedMessageSchema>;

export const SEED_FILE = shippedPath('seed', 'messages.csv');

export function loadSeedMessages(file = SEED_FILE): SeedMessage[] {
  const { header, rows } = readCsvFile(file);
  for (const col of ['text', 'category', 'type', 'urgency', 'sentiment']) {
    if (!header.includes(col)) throw new Error(`${file}: no column "${col}"`);
  }
  return rows.map((r, i) => {
    const parsed = seedMessageSchema.safeParse(r);
    if (!parsed.success) throw new Error(`${file} row ${i + 2}: ${parsed.error.message}`);
    return parsed.data;
  });
}
