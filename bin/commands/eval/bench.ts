// `npm run --silent cli -- eval bench --data FILE.csv [--model FILE.json] [--train] [--label-col label] [--passes 5]`
// Speed of a text classifier on one core (Node runs the loop on one thread): messages classified
// per second from raw text (features included), over several passes (median and best, since other
// work on the machine slows some passes), and with --train the time to train on the file as
// `train category` does. Last stdout line: one JSON object.
import { parseArgs } from 'node:util';
import { MODEL_FILES } from '../../../core/nlp/models';
import { loadTextClassifier, trainTextClassifier } from '../../../core/nlp/text-classifier';
import { readLabelledCsv } from '../../../core/util/csv';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      model: { type: 'string', default: MODEL_FILES.category },
      train: { type: 'boolean' },
      'text-col': { type: 'string', default: 'text' },
      'label-col': { type: 'string', default: 'label' },
      passes: { type: 'string', default: '5' },
    },
  });
  const passes = Number(values.passes);
  if (!values.data || !Number.isInteger(passes) || passes < 1) {
    console.error('usage: npm run --silent cli -- eval bench --data FILE.csv [--model FILE.json] [--train] [--label-col label] [--passes 5]');
    return 2;
  }
  const { texts, labels } = readLabelledCsv(values.data, values['text-col'], values['label-col']);
  const out: Record<string, unknown> = { messages: texts.length, meanChars: Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length) };
  const trainRuns: number[] = [];
  if (values.train) {
    for (let p = 0; p < Math.min(passes, 3); p++) {
      const t0 = performance.now();
      trainTextClassifier(texts, labels);
      trainRuns.push(Math.round(performance.now() - t0));
    }
    out.trainMs = { median: median(trainRuns), best: Math.min(...trainRuns), runs: trainRuns };
  }
  const model = loadTextClassifier(values.model);
  model.predictBatch(texts.slice(0, 200)); // warm-up
  const rates: number[] = [];
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    for (const t of texts) model.predict(t);
    rates.push(Math.round(texts.length / ((performance.now() - t0) / 1000)));
  }
  out.model = values.model;
  out.classifyPerSec = { median: median(rates), best: Math.max(...rates), runs: rates };
  console.log(JSON.stringify(out));
  return 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
