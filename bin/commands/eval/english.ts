// `npm run --silent cli -- eval english [--test test/fixtures/english-test.csv]`: English messages
// read by analyzeMessage (language detection, natural's tokenizer/stemmer and AFINN sentiment, the
// classifiers from lexicons/seed/english.csv), scored on a labelled English file (columns text and
// any of category, type, sentiment); also the share of our Chinese seed corpus detected as Chinese.
// Last stdout line: one JSON object.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSeedMessages } from '../../../core/demo/seed-corpus';
import { analyzeMessage } from '../../../core/nlp/analyze';
import { confusion } from '../../../core/nlp/calibration';
import { detectLanguage } from '../../../core/nlp/english';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';
import { readCsvFile } from '../../../core/util/csv';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { test: { type: 'string', default: path.join(repoRoot, 'test/fixtures/english-test.csv') } } });
  const { rows } = readCsvFile(values.test);
  const fields = { category: (a: ReturnType<typeof analyzeMessage>) => a.category.label, type: (a: ReturnType<typeof analyzeMessage>) => a.requestType.label, sentiment: (a: ReturnType<typeof analyzeMessage>) => a.sentiment.label };
  const gold: Record<string, string[]> = { category: [], type: [], sentiment: [] };
  const pred: Record<string, string[]> = { category: [], type: [], sentiment: [] };
  let english = 0;
  for (const r of rows) {
    const a = analyzeMessage(r.text ?? '');
    if (a.language === 'en') english++;
    for (const [f, get] of Object.entries(fields)) {
      if (!r[f]?.trim()) continue;
      gold[f].push(r[f].trim());
      pred[f].push(get(a));
    }
  }
  const out: Record<string, unknown> = { n: rows.length, detectedEnglish: Math.round((english / Math.max(rows.length, 1)) * 10000) / 10000 };
  for (const f of Object.keys(fields)) {
    if (!gold[f].length) continue;
    const ev = evaluate(gold[f], pred[f]);
    out[f] = { macroF1: ev.macroF1, accuracy: ev.accuracy, n: gold[f].length, perClass: ev.perClass, confusion: confusion(gold[f], pred[f]) };
  }
  const seed = loadSeedMessages();
  out.chineseSeedDetectedChinese = Math.round((seed.filter((m) => detectLanguage(m.text) === 'zh').length / seed.length) * 10000) / 10000;
  console.log(JSON.stringify(out));
  return 0;
}
