// Messages in English from the city's foreign residents. The language is detected per message;
// an English one is tokenised with natural's Treebank tokenizer and Porter stemmer, its sentiment
// read with natural's AFINN analyzer (negation flips the rest of its clause), and its category and
// request type by a small classifier trained, on first use, on the English seed set we wrote
// (lexicons/seed/english.csv). natural's submodules only: its package index loads storage
// back-ends (mongoose, pg, redis) that the service never needs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { readCsvFile } from '../util/csv';
import { hanRatio } from './normalize';
import { shippedPath } from '../shipped/store';
import { trainTextClassifier, type TextClassifier } from './text-classifier';
import type { Prediction, SentimentLabel } from './types';

const require = createRequire(import.meta.url);
const { TreebankWordTokenizer } = { TreebankWordTokenizer: require('natural/lib/natural/tokenizers/treebank_word_tokenizer') as new () => { tokenize(t: string): string[] } };
const PorterStemmer: { stem(w: string): string } = require('natural/lib/natural/stemmers/porter_stemmer');
const SentimentAnalyzer: new (language: string, stemmer: unknown, vocabulary: string) => { getSentiment(words: string[]): number } = require('natural/lib/natural/sentiment/SentimentAnalyzer');

export type Language = 'zh' | 'en' | 'other';

/** zh when three in ten characters are Han; en when most letters are Latin and there are a few words; else other. */
export function detectLanguage(text: string): Language {
  if (typeof text !== 'string' || !/[\p{L}]/u.test(text)) return 'other';
  if (hanRatio(text) >= 0.3) return 'zh';
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /[A-Za-z]/.test(c)).length;
  const words = text.match(/[A-Za-z]{2,}/g) ?? [];
  return latin / letters.length >= 0.8 && words.length >= 3 ? 'en' : 'other';
}

let tokenizer: { tokenize(t: string): string[] } | null = null;
/** Lower-cased word tokens, "n't" read as "not". */
export function englishTokens(text: string): string[] {
  tokenizer ??= new TreebankWordTokenizer();
  return tokenizer
    .tokenize(text.toLowerCase())
    .map((t) => (t === "n't" ? 'not' : t))
    .filter((t) => /[a-z0-9]/.test(t));
}

/** Porter stems of the word tokens: what the classifier reads. */
export function englishStems(text: string): string[] {
  return englishTokens(text).map((t) => PorterStemmer.stem(t));
}

let afinn: { getSentiment(words: string[]): number } | null = null;
const NEGATION_EXTRA = /^(without|nobody|nothing|none|nowhere|hardly)$/;
// words of asking, not of feeling: "please help us" is a request, AFINN counts it as +3
// and function words whose Porter stem is an AFINN word ("has" → "ha", laughter, +2)
const REQUEST_WORDS = /^(please|help|want|like|care|clear|ok|okay|has|was|is|as|us|this|its|his|does|yes)$/;

export interface EnglishSentiment {
  label: SentimentLabel;
  score: number;
  confidence: number;
}

/** AFINN sentiment, clause by clause so that a negation flips only the rest of its own clause. */
export function englishSentiment(text: string): EnglishSentiment {
  afinn ??= new SentimentAnalyzer('English', PorterStemmer, 'afinn');
  let total = 0;
  let words = 0;
  for (const clause of String(text ?? '').split(/[.,;:!?\n]+|\bbut\b/i)) {
    const toks = englishTokens(clause)
      .filter((t) => !REQUEST_WORDS.test(t))
      .map((t) => (NEGATION_EXTRA.test(t) ? 'not' : t));
    if (!toks.length) continue;
    total += afinn.getSentiment(toks) * toks.length;
    words += toks.length;
  }
  // AFINN words score −5…5; a mean of ±0.15 per word is about one clear word in a short message
  const score = words ? Math.max(-1, Math.min(1, total / words / 0.6)) : 0;
  const label: SentimentLabel = score > 0.1 ? 'positive' : score < -0.1 ? 'negative' : 'neutral';
  return { label, score: Math.round(score * 1000) / 1000, confidence: Math.round(Math.min(0.9, 0.5 + Math.abs(score) * 0.5) * 1000) / 1000 };
}

export const ENGLISH_SEED_FILE = shippedPath('seed', 'english.csv');

interface EnglishModels {
  category: TextClassifier;
  type: TextClassifier;
}

let models: EnglishModels | null = null;

/** Trains the English category and request type classifiers on labelled rows (stemmed text). */
export function trainEnglishModels(rows: readonly { text: string; category?: string; type?: string }[]): EnglishModels {
  const opts = { features: { minN: 3, maxN: 6 }, C: 1, minDf: 1, calibrationFolds: 0, temperature: 0.5, nbAlpha: 0 } as const;
  const stem = (t: string) => englishStems(t).join(' ');
  const cat = rows.filter((r) => r.category);
  const typ = rows.filter((r) => r.type);
  return {
    category: trainTextClassifier(cat.map((r) => stem(r.text)), cat.map((r) => r.category!), opts),
    type: trainTextClassifier(typ.map((r) => stem(r.text)), typ.map((r) => r.type!), { ...opts, balanced: true }),
  };
}

function englishModels(): EnglishModels {
  if (models) return models;
  let rows: Record<string, string>[];
  try {
    rows = readCsvFile(ENGLISH_SEED_FILE).rows;
  } catch (err) {
    throw new Error(`English seed set ${ENGLISH_SEED_FILE}: ${err instanceof Error ? err.message : String(err)}`);
  }
  models = trainEnglishModels(rows.map((r) => ({ text: r.text, category: r.category, type: r.type })));
  return models;
}

/** Put other English models in place (evaluation); undefined: train on the seed set again on next use. */
export function setEnglishModels(m: EnglishModels | undefined): void {
  models = m ?? null;
}

export function classifyEnglish(text: string): { category: Prediction; requestType: Prediction } {
  const m = englishModels();
  const stems = englishStems(text).join(' ');
  return { category: m.category.predict(stems), requestType: m.type.predict(stems) };
}
