// `npm run --silent cli -- eval demo [--seed 1] [--count 2000] [--errors N]`: the demo generator's
// own messages (what `npm start` loads) read by analyzeMessage and compared with what the
// generator meant each to be, burst by burst — so "停水 read as 交通运输" or "a two-hour clock for
// a closed gym's prepaid card" shows as a figure. Last stdout line: one JSON object.
import { parseArgs } from 'node:util';
import { generateDemoDataset } from '../../../core/demo/generate';
import { analyzeMessage } from '../../../core/nlp/analyze';
import { confusion } from '../../../core/nlp/calibration';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string', default: '1' }, count: { type: 'string', default: '2000' }, errors: { type: 'string', default: '0' } },
  });
  const seed = Number(values.seed);
  const count = Number(values.count);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 1) {
    console.error('usage: npm run --silent cli -- eval demo [--seed 1] [--count 2000] [--errors N]');
    return 2;
  }
  const { messages, labels } = generateDemoDataset({ seed, count, now: new Date('2026-06-01T00:00:00+08:00') });
  const fields = ['category', 'type', 'urgency', 'sentiment'] as const;
  const gold: Record<string, string[]> = { category: [], type: [], urgency: [], sentiment: [] };
  const pred: Record<string, string[]> = { category: [], type: [], urgency: [], sentiment: [] };
  const bursts: Record<string, { n: number; category: Record<string, number>; urgent: number; type: Record<string, number> }> = {};
  const errors: string[] = [];
  messages.forEach((m, i) => {
    const text = m.body ?? '';
    const a = analyzeMessage(text, { title: m.title ?? undefined });
    const got = { category: a.category.label, type: a.requestType.label, urgency: a.urgency.label, sentiment: a.sentiment.label };
    for (const f of fields) {
      gold[f].push(labels[i][f]);
      pred[f].push(got[f]);
      if (labels[i][f] !== got[f] && (f === 'category' || f === 'urgency')) errors.push(`[${f} ${labels[i][f]}→${got[f]}${f === 'urgency' ? ' ' + a.urgency.reasons.join(',') : ''}] ${text.slice(0, 100)}`);
    }
    const b = labels[i].burst;
    if (b) {
      const s = (bursts[b] ??= { n: 0, category: {}, urgent: 0, type: {} });
      s.n++;
      s.category[got.category] = (s.category[got.category] ?? 0) + 1;
      s.type[got.type] = (s.type[got.type] ?? 0) + 1;
      if (got.urgency === 'urgent') s.urgent++;
    }
  });
  for (const e of errors.slice(0, Number(values.errors))) console.error(e);
  const out: Record<string, unknown> = { seed, messages: messages.length };
  for (const f of fields) {
    const ev = evaluate(gold[f], pred[f]);
    out[f] = { macroF1: ev.macroF1, accuracy: ev.accuracy, perClass: ev.perClass, ...(f === 'urgency' ? { confusion: confusion(gold[f], pred[f]) } : {}) };
  }
  out.bursts = bursts;
  console.log(JSON.stringify(out));
  return 0;
}
