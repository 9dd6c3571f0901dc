// One message in, one MessageAnalysis out: normalise, find personal data, segment, then
// category, request type, urgency, sentiment, place, keywords and fingerprint. Synchronous and
// total: every input (empty, huge, emoji only, broken UTF-16, not even a string) gets a defined
// result, and a message any reader is unsure about is flagged for the human triage queue.
import { z } from 'zod';
import { classifyCategory } from './category';
import { classifyEnglish, detectLanguage, englishSentiment, englishTokens } from './english';
import { EMPTY_FINGERPRINT, simhash } from './fingerprint';
import { extractKeywords } from './keywords';
import { hanRatio, normalizeText } from './normalize';
import { detectPii } from './pii';
import { extractPlace } from './place';
import { classifyRequestType } from './request-type';
import { segment } from './segment';
import { shippedJson } from '../shipped/store';
import { getSentimentLexicon, lexiconSentiment, messageSentiment, type SentimentResult } from './sentiment';
import { messageAnalysisSchema, type MessageAnalysis, type Prediction } from './types';
import { readUrgency } from './urgency';

/** Longer input is cut here (head kept) before anything reads it; the cut is reported. */
export const MAX_ANALYSED_CHARS = 20000;

const thresholdsSchema = z.object({
  category: z.number().min(0).max(1),
  requestType: z.number().min(0).max(1),
  urgency: z.number().min(0).max(1),
  sentiment: z.number().min(0).max(1),
  place: z.number().min(0).max(1),
  sentimentTypePrior: z.record(z.string(), z.object({ shift: z.number(), scale: z.number() })).optional(),
});
export type NlpThresholds = z.infer<typeof thresholdsSchema>;

/** lexicons/nlp-thresholds.json */
export const nlpThresholds: () => NlpThresholds = shippedJson('nlp-thresholds.json', thresholdsSchema);

/** MessageAnalysis plus what the readers saw, for staff screens and debugging. */
export const analysisDetailSchema = messageAnalysisSchema.extend({
  urls: z.array(z.string()),
  truncated: z.boolean(),
  /** zh, en (read by the English readers) or other */
  language: z.enum(['zh', 'en', 'other']),
  /** why the message is queued for review: the predictions under their thresholds */
  reviewReasons: z.array(z.string()),
  pii: z.array(z.object({ kind: z.string(), start: z.number(), end: z.number(), masked: z.string() })),
});
export type AnalysisDetail = z.infer<typeof analysisDetailSchema>;

export interface AnalyzeOptions {
  title?: string;
  address?: string;
  /** milliseconds spent in each stage are added here (for `eval bench --analyze`) */
  timings?: Record<string, number>;
}

const UNKNOWN: Prediction = { label: 'unknown', confidence: 0 };

const reported = new Set<string>();
function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    // a reader's failure degrades its own field, never the whole analysis — but it is never silent
    const msg = err instanceof Error ? err.message : String(err);
    if (!reported.has(msg)) {
      reported.add(msg);
      console.error(`[minsheng nlp] a reader failed and its field is unknown: ${msg}`);
    }
    return fallback;
  }
}

export function analyzeMessage(text: string, opts: AnalyzeOptions = {}): AnalysisDetail {
  const timings = opts.timings;
  if (!timings) return analyzeInner(text, opts, (_stage, fn) => fn());
  let last = performance.now();
  return analyzeInner(text, opts, (stage, fn) => {
    const r = fn();
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - last);
    last = now;
    return r;
  });
}

type Stage = <T>(name: string, fn: () => T) => T;

function analyzeInner(text: string, opts: AnalyzeOptions, stage: Stage): AnalysisDetail {
  const raw = typeof text === 'string' ? text : '';
  const title = typeof opts.title === 'string' ? opts.title : '';
  const truncated = raw.length + title.length > MAX_ANALYSED_CHARS;
  // The title usually says what the message is about, so it leads the text that is read.
  const joined = title.trim() ? `${title.trim()}。${raw}` : raw;
  const { text: normalizedText, urls } = stage('normalize', () => normalizeText(truncated ? joined.slice(0, MAX_ANALYSED_CHARS) : joined));
  const pii = stage('pii', () => safe(() => detectPii(normalizedText), { spans: [], maskedText: normalizedText }));
  const readable = /[\p{L}\p{N}]/u.test(normalizedText);
  const address = typeof opts.address === 'string' ? normalizeText(opts.address).text : undefined;

  if (!readable) {
    return {
      normalizedText,
      maskedText: pii.maskedText,
      pii: [],
      tokens: [],
      category: UNKNOWN,
      requestType: UNKNOWN,
      urgency: { label: 'normal', confidence: 0, reasons: [] },
      sentiment: { label: 'neutral', confidence: 0, score: 0 },
      place: safe(() => stripPlace(extractPlace('', { address })), { district: null, street: null, community: null, address: address ?? null, confidence: 0 }),
      keywords: [],
      fingerprint: EMPTY_FINGERPRINT,
      needsReview: true,
      urls,
      truncated,
      language: 'other',
      reviewReasons: ['empty'],
    };
  }

  // Readers see the text with personal data masked: a phone number is not a topic, and masks
  // keep rules from reading digits as dates or counts.
  const readText = pii.maskedText;
  const language = stage('language', () => detectLanguage(normalizedText));
  if (language === 'en') return readEnglish(normalizedText, pii, urls, truncated, address);
  const place = stage('place', () => safe(() => extractPlace(normalizedText, { address }), null));
  const tokens = stage('segment', () => safe(() => segment(readText), []));
  const category = stage('category', () => safe(() => classifyCategory(readText), UNKNOWN));
  const lexical = stage('sentiment', () => safe(() => messageSentiment(readText), { label: 'neutral' as const, confidence: 0, score: 0, hits: [] }));
  const urgency = stage('urgency', () => safe(() => readUrgency(readText), { label: 'normal' as const, confidence: 0, reasons: [] }));
  const requestType = stage('requestType', () => safe(
    // the cues' sentiment push reads the lexicon's score, as when the reader was trained (readers.ts)
    () => classifyRequestType(readText, { sentimentScore: lexiconSentiment(readText).score, urgent: urgency.label === 'urgent' }),
    UNKNOWN,
  ));
  const sentiment = withTypePrior(lexical, requestType);
  const keywords = stage('keywords', () => safe(() => extractKeywords(readText), []));
  const fingerprint = stage('fingerprint', () => safe(() => simhash(readText), EMPTY_FINGERPRINT));

  const th = nlpThresholds();
  const reviewReasons: string[] = [];
  if (category.confidence < th.category) reviewReasons.push('category');
  if (requestType.confidence < th.requestType) reviewReasons.push('requestType');
  if (urgency.confidence < th.urgency) reviewReasons.push('urgency');
  if (sentiment.confidence < th.sentiment) reviewReasons.push('sentiment');
  // A place is only required to be sure when one was given or mentioned: many messages name none.
  if (place && (place.matches.length || address) && place.confidence < th.place) reviewReasons.push('place');
  if (hanRatio(normalizedText) < 0.3) reviewReasons.push('script'); // mostly non-Chinese: our readers are for Chinese
  if (truncated) reviewReasons.push('truncated');

  return {
    normalizedText,
    maskedText: pii.maskedText,
    pii: pii.spans.map((s) => ({ kind: s.kind, start: s.start, end: s.end, masked: s.masked })),
    tokens,
    category: { label: category.label, confidence: category.confidence },
    requestType: { label: requestType.label, confidence: requestType.confidence },
    urgency: { label: urgency.label, confidence: urgency.confidence, reasons: urgency.reasons },
    sentiment: { label: sentiment.label, confidence: round(sentiment.confidence), score: round(sentiment.score) },
    place: place ? stripPlace(place) : { district: null, street: null, community: null, address: address ?? null, confidence: 0 },
    keywords,
    fingerprint,
    needsReview: reviewReasons.length > 0,
    urls,
    truncated,
    language,
    reviewReasons,
  };
}

/** An English message: natural's tokenizer, stemmer and AFINN sentiment, and classifiers from our English seed set. */
function readEnglish(normalizedText: string, pii: ReturnType<typeof detectPii>, urls: string[], truncated: boolean, address: string | undefined): AnalysisDetail {
  const readText = pii.maskedText;
  const en = safe(() => classifyEnglish(readText), { category: UNKNOWN, requestType: UNKNOWN });
  const s = safe(() => englishSentiment(readText), { label: 'neutral' as const, score: 0, confidence: 0 });
  const urgency = safe(() => readUrgency(readText), { label: 'normal' as const, confidence: 0, reasons: [] });
  const place = safe(() => extractPlace(normalizedText, { address }), null);
  const th = nlpThresholds();
  const reviewReasons: string[] = ['script']; // our English readers learnt from a few dozen messages: staff read these
  if (en.category.confidence < th.category) reviewReasons.push('category');
  if (en.requestType.confidence < th.requestType) reviewReasons.push('requestType');
  if (s.confidence < th.sentiment) reviewReasons.push('sentiment');
  if (truncated) reviewReasons.push('truncated');
  return {
    normalizedText,
    maskedText: pii.maskedText,
    pii: pii.spans.map((x) => ({ kind: x.kind, start: x.start, end: x.end, masked: x.masked })),
    tokens: safe(() => englishTokens(readText), []),
    category: en.category,
    requestType: en.requestType,
    urgency: { label: urgency.label, confidence: urgency.confidence, reasons: urgency.reasons },
    sentiment: { label: s.label, confidence: s.confidence, score: s.score },
    place: place ? stripPlace(place) : { district: null, street: null, community: null, address: address ?? null, confidence: 0 },
    keywords: [],
    fingerprint: safe(() => simhash(readText), EMPTY_FINGERPRINT),
    needsReview: true,
    urls,
    truncated,
    language: 'en',
    reviewReasons,
  };
}

/**
 * What a message asks for says something about its tone: a complaint or a report is rarely
 * happy even when it only describes facts, a thanks letter rarely unhappy, and a question is
 * mostly neutral. The prior (lexicons/nlp-thresholds.json → sentimentTypePrior) is added to the
 * lexicon score in proportion to the request type's confidence.
 */
function withTypePrior(s: SentimentResult, type: Prediction): Pick<SentimentResult, 'label' | 'confidence' | 'score'> {
  const prior = nlpThresholds().sentimentTypePrior?.[type.label];
  if (!prior) return s;
  const score = Math.max(-1, Math.min(1, s.score * prior.scale + prior.shift * type.confidence));
  const band = getSentimentLexicon().rules.neutralBand;
  const label = Math.abs(score) < band ? 'neutral' : score > 0 ? 'positive' : 'negative';
  if (label === s.label) return { label, confidence: s.confidence, score };
  // a label moved by the prior is less certain than one read from the words
  return { label, score, confidence: Math.min(s.confidence, 0.4 + Math.abs(score) * 0.5) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function stripPlace(p: ReturnType<typeof extractPlace>): MessageAnalysis['place'] {
  return { district: p.district, street: p.street, community: p.community, address: p.address, confidence: p.confidence };
}
