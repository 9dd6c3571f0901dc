// The result of reading one message: what the workers store and the router uses.
import { z } from 'zod';

export const REQUEST_TYPES = ['咨询', '求助', '投诉', '举报', '建议', '感谢'] as const;
export const requestTypeSchema = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof requestTypeSchema>;

export const urgencySchema = z.enum(['urgent', 'normal']);
export type Urgency = z.infer<typeof urgencySchema>;

export const sentimentLabelSchema = z.enum(['negative', 'neutral', 'positive']);
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>;

export const predictionSchema = z.object({ label: z.string(), confidence: z.number().min(0).max(1) });
export type Prediction = z.infer<typeof predictionSchema>;

export const placeSchema = z.object({
  district: z.string().nullable(),
  street: z.string().nullable(),
  community: z.string().nullable(),
  /** the address text as written by the resident, kept verbatim */
  address: z.string().nullable(),
  confidence: z.number().min(0).max(1),
});
export type Place = z.infer<typeof placeSchema>;

export const messageAnalysisSchema = z.object({
  normalizedText: z.string(),
  maskedText: z.string(),
  pii: z.array(z.object({ kind: z.string(), start: z.number(), end: z.number() })),
  tokens: z.array(z.string()),
  category: predictionSchema, // 'unknown' with confidence 0 when nothing can be read
  requestType: predictionSchema,
  urgency: predictionSchema.extend({ reasons: z.array(z.string()) }),
  sentiment: predictionSchema.extend({ score: z.number() }), // score in [-1, 1]
  place: placeSchema,
  keywords: z.array(z.string()),
  fingerprint: z.string(), // 64-bit SimHash, 16 hex digits
  needsReview: z.boolean(),
});
export type MessageAnalysis = z.infer<typeof messageAnalysisSchema>;
