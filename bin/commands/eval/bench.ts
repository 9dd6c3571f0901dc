// `npm run --silent cli -- eval bench --data FILE.csv [--model FILE.json] [--train] [--label-col label] [--passes 5]`
// `npm run --silent cli -- eval bench --analyze --data FILE.csv [--passes 5] [--snapshot OUT.jsonl | --check OUT.jsonl]`
//   the full analyzeMessage instead (every reader, as the service reads a message): messages/s
//   (median of the passes), the time in each stage, and with --snapshot / --check the whole
//   analysis of every row written to / compared with a file (JSON lines; keep it outside the
//   repository: it holds the data's text), so a change meant only for speed is seen to change nothing;
//   memoryAfterLoadMiB is process.memoryUsage() once every dictionary and model is loaded.
// Speed of a text classifier on one core (Node runs the loop on one thread): messages classified
// per second from raw text (features included), over several passes (median and best, since other
// work on the machine slows some passes), and with --train the time to train on the file as
// `train category` does. Last stdout line: one JSON object.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeMessage } from '../../../core/nlp/analyze';
import { MODEL_FILES } from '../../../core/nlp/models';
import { loadTextClassifier, trainTextClassifier } from '../../../core/nlp/text-classifier';
import { readCsvFile, readLabelledCsv } from '../../../core/util/csv';

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
      analyze: { type: 'boolean' },
      snapshot: { type: 'string' },
      check: { type: 'string' },
    },
  });
  const passes = Number(values.passes);
  if (values.analyze && values.data && Number.isInteger(passes) && passes >= 1) return benchAnalyze(values.data, values['text-col'], passes, values.snapshot, values.check);
  if (!values.data || !Number.isInteger(passes) || passes < 1) {
    console.error('usage: npm run --silent cli -- eval bench --data FILE.csv [--model FILE.json] [--train] [--label-col label] [--passes 5]\n' +
      '       npm run --silent cli -- eval bench --analyze --data FILE.csv [--passes 5] [--snapshot OUT.jsonl | --check OUT.jsonl]');
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

/** The inputs analyzeMessage gets from a row: its text, and where the row has them the subject as
 * the title with the detail as the body (as the portal's form sends them). */
function analyzeInputs(rows: Record<string, string>[], textCol: string): { text: string; title?: string }[] {
  const out: { text: string; title?: string }[] = [];
  for (const r of rows) {
    out.push({ text: r[textCol] ?? '' });
    if (r.subject !== undefined && r.detail !== undefined) out.push({ text: r.detail, title: r.subject });
  }
  return out;
}

async function benchAnalyze(file: string, textCol: string, passes: number, snapshot?: string, check?: string): Promise<number> {
  const { header, rows } = readCsvFile(file);
  if (!header.includes(textCol)) {
    console.error(`eval bench: ${file} has no column "${textCol}" (没有 "${textCol}" 列; columns: ${header.join(', ')})`);
    return 2;
  }
  const inputs = analyzeInputs(rows, textCol);
  const texts = rows.map((r) => r[textCol] ?? '');
  const out: Record<string, unknown> = { messages: texts.length, meanChars: Math.round(texts.reduce((a, t) => a + t.length, 0) / Math.max(texts.length, 1)) };
  if (snapshot || check) {
    // every row, as text alone and (where the file has them) as subject + detail
    const lines = inputs.map((x) => JSON.stringify(analyzeMessage(x.text, x.title === undefined ? {} : { title: x.title })));
    if (snapshot) {
      writeFileSync(snapshot, lines.join('\n') + '\n');
      out.snapshot = { file: snapshot, analyses: lines.length };
    }
    if (check) {
      const before = readFileSync(check, 'utf8').split('\n').filter(Boolean);
      if (before.length !== lines.length) {
        console.error(`eval bench: ${check} holds ${before.length} analyses, this file gives ${lines.length} (快照与数据不符)`);
        return 1;
      }
      const fields: Record<string, number> = {};
      let differing = 0;
      lines.forEach((l, i) => {
        if (l === before[i]) return;
        differing++;
        const a = JSON.parse(l) as Record<string, unknown>;
        const b = JSON.parse(before[i]) as Record<string, unknown>;
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) fields[k] = (fields[k] ?? 0) + 1;
      });
      out.check = { file: check, analyses: lines.length, differing, differingByField: fields };
    }
  }
  for (const t of texts.slice(0, 100)) analyzeMessage(t); // warm-up: dictionaries, models, JIT
  // the process's memory with every dictionary and model loaded (MiB)
  const mem = process.memoryUsage();
  const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  out.memoryAfterLoadMiB = { rss: mib(mem.rss), heapUsed: mib(mem.heapUsed), external: mib(mem.external), arrayBuffers: mib(mem.arrayBuffers) };
  const rates: number[] = [];
  // messages per second of this process's CPU time: what one core does, less sensitive to other
  // work on a shared machine than the wall-clock rate
  const cpuRates: number[] = [];
  const stageRuns: Record<string, number>[] = [];
  for (let p = 0; p < passes; p++) {
    const timings: Record<string, number> = {};
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) analyzeMessage(t, { timings });
    rates.push(Math.round(texts.length / ((performance.now() - t0) / 1000)));
    const c = process.cpuUsage(c0);
    cpuRates.push(Math.round(texts.length / ((c.user + c.system) / 1e6)));
    stageRuns.push(timings);
  }
  // stage times (wall clock) of the median pass, in microseconds per message
  const mid = rates.indexOf(median(rates));
  const stages = Object.fromEntries(Object.entries(stageRuns[mid]).sort((a, b) => b[1] - a[1]).map(([k, ms]) => [k, Math.round((ms * 1000) / texts.length)]));
  out.analyzePerSec = { median: median(rates), best: Math.max(...rates), runs: rates };
  out.analyzePerCpuSec = { median: median(cpuRates), best: Math.max(...cpuRates), runs: cpuRates };
  out.stageMicrosPerMessage = stages;
  console.log(JSON.stringify(out));
  return 0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
