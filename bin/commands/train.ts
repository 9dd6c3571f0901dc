// `npm run cli -- train category --data FILE.csv [--text-col text] [--label-col label] [--out FILE]`
// trains a text classifier (the target name picks the default label column and output path);
// `train type|urgency|sentiment|readers --data FILES [--fit-on FILES] [--with-corrections]` trains
// the message readers (see trainReaderTarget) into lexicons/models/.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { shippedPath } from '../../core/shipped/store';
import { MODEL_FILES } from '../../core/nlp/models';
import { trainRequestTypeReader, trainSentimentReader, trainUrgencyReader, type LabelledMessage } from '../../core/nlp/readers';
import { saveSentimentModel } from '../../core/nlp/sentiment';
import { saveUrgencyReader } from '../../core/nlp/urgency';
import { fitHeldOutTemperature, saveTextClassifier, trainTextClassifier, withTemperature } from '../../core/nlp/text-classifier';
import { TRAIN_FLAGS, trainOptionsFromFlags } from '../../core/nlp/text-classifier/options';
import { readLabelledFiles, readTextsById } from './labelled-files';
import { readCsvFile } from '../../core/util/csv';
import { readReplyLabelled } from './eval/analyze';
import { getConfigOrExit } from '../../core/config';
import { listTrainingLabels, type LabelField } from '../../core/db/training-labels';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { loadDepartments } from '../../core/cases/routing';

const USAGE =
  'usage: npm run cli -- train <category|type|urgency|sentiment|readers> --data FILE.csv[,FILE2.csv] [--fit-on FILE.csv] [--text-col text] [--label-col label] [--out FILE] [--quantize] [--with-corrections] [--calibrate-across] [--replies FILE] [--texts FILE.csv]';

// type, urgency and sentiment are readers (cues or patterns + classifier + fitted settings), trained
// from columns text and type / urgency / sentiment; `readers` trains all three from one file
const READER_TARGETS = { type: ['type'], urgency: ['urgency'], sentiment: ['sentiment'], readers: ['type', 'urgency', 'sentiment'] } as const;
type ReaderField = 'type' | 'urgency' | 'sentiment';
const READER_FILE: Record<ReaderField, string> = { type: MODEL_FILES.requestType, urgency: MODEL_FILES.urgency, sentiment: MODEL_FILES.sentiment };

// which staff-correction field feeds which target
const CORRECTION_FIELD: Record<string, LabelField> = { category: 'category', type: 'requestType', urgency: 'urgency', sentiment: 'sentiment' };

/** Staff corrections from the service's database (DATABASE_URL, or the embedded one in DATA_DIR while the service is stopped). */
async function correctionsFor(field: LabelField): Promise<{ text: string; label: string }[]> {
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-train' }), { departments: loadDepartments() }); // not every shipped file: training may be replacing a model
  try {
    return await listTrainingLabels(db.sql, field);
  } finally {
    await db.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      'text-col': { type: 'string', default: 'text' },
      'label-col': { type: 'string' },
      out: { type: 'string' },
      quantize: { type: 'boolean' },
      'with-corrections': { type: 'boolean' },
      'calibrate-across': { type: 'boolean' },
      'fit-on': { type: 'string' },
      replies: { type: 'string' },
      texts: { type: 'string' },
      ...TRAIN_FLAGS,
    },
  });
  const target = positionals[0];
  if (!target || !/^[a-z][a-z0-9-]*$/.test(target) || !values.data) {
    console.error(USAGE);
    return 2;
  }
  // several files may be given, comma-separated (e.g. both parts of the seed corpus); they must share the columns
  const files = values.data.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of files) {
    if (!existsSync(f) || !statSync(f).isFile()) {
      console.error(`train: no such file: ${f}`);
      return 1;
    }
  }
  if (target in READER_TARGETS) return trainReaderTarget(target as keyof typeof READER_TARGETS, files, values);
  const parts = files.map((f) => readCsvFile(f));
  const header = parts[0].header.filter((h) => parts.every((p) => p.header.includes(h)));
  const rows = parts.flatMap((p) => p.rows);
  const textCol = values['text-col'];
  // Without --label-col, a file with a "label" column uses it; otherwise the column named after the target.
  const labelCol = values['label-col'] ?? (header.includes('label') ? 'label' : target);
  for (const col of [textCol, labelCol]) {
    if (!header.includes(col)) {
      console.error(`train: ${values.data} has no column "${col}" (columns: ${header.join(', ')})`);
      return 1;
    }
  }
  const texts = rows.map((r) => r[textCol]);
  const labels = rows.map((r) => r[labelCol]);
  if (values['with-corrections']) {
    const field = CORRECTION_FIELD[target];
    if (!field) {
      console.error(`train: staff corrections exist for ${Object.keys(CORRECTION_FIELD).join(', ')}, not ${target}`);
      return 2;
    }
    const extra = await correctionsFor(field);
    for (const e of extra) {
      texts.push(e.text);
      labels.push(e.label);
    }
    console.error(`train: ${extra.length} staff corrections added to ${rows.length} rows`);
  }
  const out = values.out ?? shippedPath('models', `${target}.json`);
  const t0 = performance.now();
  let model = trainTextClassifier(texts, labels, { ...trainOptionsFromFlags(values), log: (m) => console.error(`train: ${m}`) });
  if (values['calibrate-across']) {
    // confidence fitted across files written apart: each file scored by a model trained on the others
    if (parts.length < 2) {
      console.error('train: --calibrate-across needs two or more --data files');
      return 2;
    }
    const pairs = parts.map((p, i) => {
      const rest = parts.filter((_, j) => j !== i).flatMap((q) => q.rows);
      const m = trainTextClassifier(rest.map((r) => r[textCol]), rest.map((r) => r[labelCol]), trainOptionsFromFlags(values));
      return { model: m, texts: p.rows.map((r) => r[textCol]), labels: p.rows.map((r) => r[labelCol]) };
    });
    const t = fitHeldOutTemperature(pairs);
    console.error(`train: temperature ${t.toFixed(4)} fitted across the ${parts.length} files (was ${model.toJSON().temperature.toFixed(4)})`);
    model = withTemperature(model, t);
  }
  const ms = performance.now() - t0;
  saveTextClassifier(model, out, { quantize: values.quantize });
  const size = statSync(out).size;
  console.error(`train: ${target}: ${texts.length} rows, labels ${model.labels.join(' / ')}, ${ms.toFixed(0)} ms → ${out} (${(size / 1024).toFixed(0)} KiB)`);
  return 0;
}

/**
 * Trains request type, urgency and/or sentiment readers from labelled files (a city's history
 * export, our seed corpus…) plus, with --with-corrections, the staff corrections so far. Settings
 * and calibration are fitted on the --fit-on files and the corrections (the city's own messages);
 * without --fit-on on every row.
 */
async function trainReaderTarget(
  target: keyof typeof READER_TARGETS,
  files: string[],
  values: { 'fit-on'?: string; 'with-corrections'?: boolean; out?: string; 'text-col': string; replies?: string; texts?: string },
): Promise<number> {
  const fields = READER_TARGETS[target] as readonly ReaderField[];
  if (values.out && fields.length > 1) {
    console.error('train: --out names one model file; `train readers` writes the three shipped ones');
    return 2;
  }
  const fitOn = new Set((values['fit-on'] ?? '').split(',').map((f) => f.trim()).filter(Boolean));
  for (const f of fitOn) {
    if (!files.includes(f)) {
      console.error(`train: --fit-on ${f} is not one of the --data files`);
      return 2;
    }
  }
  // a file of labels by id (lexicons/annotations/) takes its texts from --texts
  const rows: LabelledMessage[] = [];
  try {
    const texts = values.texts ? readTextsById(values.texts) : undefined;
    for (const r of readLabelledFiles(files, { textCol: values['text-col'], texts })) {
      const { file, ...row } = r;
      rows.push({ ...row, fit: fitOn.size ? fitOn.has(file) : true });
    }
  } catch (err) {
    console.error(`train: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (values['with-corrections']) {
    for (const field of fields) {
      const extra = await correctionsFor(CORRECTION_FIELD[field === 'type' ? 'type' : field]);
      for (const e of extra) rows.push({ text: e.text, [field]: e.label, fit: true });
      console.error(`train: ${extra.length} staff corrections of ${field} added`);
    }
  }
  // --replies FILE: messages whose official reply names their type join the request type's n-gram training
  let distant: { text: string; type: string }[] | undefined;
  if (values.replies) {
    if (!fields.includes('type')) {
      console.error('train: --replies is for the request type reader (train type|readers)');
      return 2;
    }
    if (!existsSync(values.replies)) {
      console.error(`train: no such file: ${values.replies}`);
      return 1;
    }
    try {
      distant = readReplyLabelled(values.replies, rows.map((r) => r.text));
    } catch (err) {
      console.error(`train: --replies: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    console.error(`train: ${distant.length} messages labelled by their official reply (${values.replies})`);
  }
  const only = (f: ReaderField) => rows.map((r) => ({ text: r.text, fit: r.fit, [f]: r[f] }));
  const t0 = performance.now();
  for (const field of fields) {
    const n = rows.filter((r) => r[field]).length;
    if (!n) {
      console.error(`train: no rows labelled ${field}`);
      return 1;
    }
    const out = values.out ?? READER_FILE[field];
    const log = (m: string) => console.error(`train: ${m}`);
    if (field === 'type') saveTextClassifier(trainRequestTypeReader(only(field), { log, distant }), out, { quantize: true });
    else if (field === 'urgency') saveUrgencyReader(trainUrgencyReader(only(field), { log }), out);
    else saveSentimentModel(trainSentimentReader(only(field), { log }), out);
    console.error(`train: ${field}: ${n} rows → ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB)`);
  }
  console.error(`train: ${target} in ${(performance.now() - t0).toFixed(0)} ms`);
  return 0;
}
