// `npm run --silent cli -- eval analyze --test FILE.csv` on columns text and any of type,
// urgency, sentiment (an empty cell leaves that row out of that field's figures), read by
// analyzeMessage exactly as the service reads a message.
//   [--cv K [--seed 1]]        instead of the shipped readers: train the type/urgency/sentiment
//                              readers on K−1 folds of --test, read the held-out fold, K times
//   [--extra FILES]            labelled rows added to the training of every fold (e.g. the seed corpus)
//   [--extra-real FILES]       with --cv: labelled real messages (other annotators' labels) that train
//                              every fold and, like the fold's own rows, fit its settings and calibration
//   [--texts FILES]            texts by id (columns id or message_id, and text or subject and detail; PREFIX=FILE
//                              names its ids PREFIX+id) for the
//                              labelled files that hold labels by id only (lexicons/annotations/)
//   [--unlabelled FILES]       messages without a type (columns text, or subject and detail) the
//                              request type reader self-trains on; any that is also a --test row is
//                              dropped first, so no held-out message is seen in training
//   [--replies FILE]           messages with the official reply (columns subject, detail, reply): those
//                              whose reply names the type (您咨询的…, 您举报的…) join the request type's
//                              n-gram training with that type; rows of --test are dropped first
//   [--baseline]               with --cv: the scikit-learn peer trained and tested on the same folds
//   [--train FILES [--fit-on FILES] [--save]]  train the readers on labelled files first (and ship
//                              them); settings and calibration fitted on the --fit-on files' rows only
//   [--compare FILES [--fit-on FILES]]  the shipped readers beside readers trained on FILES (a city's
//                              history export and staff corrections so far), both read --test
//   [--no-models]              rules and lexicons only, ignoring shipped models
//   [--fields type,urgency,sentiment]  only these readers are trained and scored
//   [--rows odd|even]          every other row only
//   [--errors N]               print N misreads per field to stderr
//   [--peer-lexicon WORDS.csv [--negations NEG.csv]]  also score a peer word,score lexicon on sentiment
// Prints one JSON object on its last stdout line: per field macro-F1, accuracy, per-class
// precision/recall, the confusion matrix (gold → predicted), the expected calibration error with
// its reliability table and what the 人工复核 threshold catches; for urgency also urgent recall,
// precision and normal messages flagged urgent per 1,000.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeMessage, nlpThresholds } from '../../../core/nlp/analyze';
import { confusion, reliability, reviewQueue } from '../../../core/nlp/calibration';
import { MODEL_FILES } from '../../../core/nlp/models';
import { trainReaders, useReaders, type LabelledMessage, type Readers } from '../../../core/nlp/readers';
import { requestTypeFromReply } from '../../../core/nlp/request-type';
import { saveSentimentModel } from '../../../core/nlp/sentiment';
import { stratifiedFolds, saveTextClassifier } from '../../../core/nlp/text-classifier';
import { evaluate, meanStd } from '../../../core/nlp/text-classifier/metrics';
import { saveUrgencyReader } from '../../../core/nlp/urgency';
import { readCsvFile, toCsv } from '../../../core/util/csv';
import { readLabelledFiles, readTextsById } from '../labelled-files';
import { runBaseline, DEFAULT_BASELINE, type FoldScore } from './cv';
import { peerReader } from './sentiment';

const FIELDS = ['type', 'sentiment', 'urgency'] as const;
type Field = (typeof FIELDS)[number];
const THRESHOLD_KEY: Record<Field, 'requestType' | 'sentiment' | 'urgency'> = { type: 'requestType', sentiment: 'sentiment', urgency: 'urgency' };

const round = (x: number) => Math.round(x * 10000) / 10000;

const USAGE =
  'usage: eval analyze --test FILE.csv [--cv K [--seed 1] [--extra FILES] [--extra-real FILES] [--replies FILE] [--baseline]] [--texts FILES] [--train FILES [--save]] [--no-models] [--rows odd|even] [--errors N] [--peer-lexicon WORDS.csv [--negations NEG.csv]]';

let textsById: Map<string, string> | undefined;

const openingKey = (t: string) => t.replace(/\s+/g, '').slice(0, 60);

/** Labelled rows of the given files: with their text, or labels by id with texts from --texts. */
function readRows(files: string): LabelledMessage[] {
  const list = files.split(',').map((f) => f.trim()).filter(Boolean);
  return readLabelledFiles(list, { texts: textsById }).map(({ file: _f, ...r }) => r);
}

/** Message texts from files with a text column (or subject and detail, as the board's exports
 * have), without those whose opening matches one of `exclude` (the rows being tested). */
export function readUnlabelled(files: string, exclude: readonly string[] = []): string[] {
  const key = (t: string) => t.replace(/\s+/g, '').slice(0, 60);
  const ex = new Set(exclude.map(key));
  const out = new Set<string>();
  for (const f of files.split(',').map((x) => x.trim()).filter(Boolean)) {
    const { header, rows } = readCsvFile(f);
    if (!header.includes('text') && !(header.includes('subject') && header.includes('detail'))) throw new Error(`${f} has no text column (nor subject and detail)`);
    for (const r of rows) {
      const t = (header.includes('text') ? r.text : `${r.subject ?? ''}${r.detail ?? ''}`) ?? '';
      if (t.trim() && !ex.has(key(t))) out.add(t);
    }
  }
  return [...out];
}

/** Messages labelled by their official reply (requestTypeFromReply): a file with columns
 * subject, detail (or text) and reply, as the board's reply export has; rows whose reply names no
 * type, and those whose opening matches one of `exclude` (the rows being tested), are left out. */
export function readReplyLabelled(file: string, exclude: readonly string[] = []): { text: string; type: string }[] {
  const key = (t: string) => t.replace(/\s+/g, '').slice(0, 60);
  const ex = new Set(exclude.map(key));
  const { header, rows } = readCsvFile(file);
  if (!header.includes('reply') || (!header.includes('text') && !(header.includes('subject') && header.includes('detail')))) throw new Error(`${file} needs a reply column and text (or subject and detail)`);
  const out: { text: string; type: string }[] = [];
  for (const r of rows) {
    const t = (header.includes('text') ? r.text : `${r.subject ?? ''}${r.detail ?? ''}`) ?? '';
    const type = requestTypeFromReply(r.reply ?? '');
    if (type && t.trim() && !ex.has(key(t))) out.push({ text: t, type });
  }
  return out;
}

interface Collected {
  gold: Record<Field, string[]>;
  pred: Record<Field, string[]>;
  conf: Record<Field, number[]>;
  errors: Record<Field, string[]>;
  peerSentiment: string[];
}

const collected = (): Collected => ({
  gold: { type: [], sentiment: [], urgency: [] },
  pred: { type: [], sentiment: [], urgency: [] },
  conf: { type: [], sentiment: [], urgency: [] },
  errors: { type: [], sentiment: [], urgency: [] },
  peerSentiment: [],
});

function read(rows: readonly LabelledMessage[], into: Collected, peer: ((t: string) => { label: string }) | null): void {
  for (const r of rows) {
    const an = analyzeMessage(r.text);
    const got: Record<Field, { label: string; confidence: number }> = { type: an.requestType, sentiment: an.sentiment, urgency: an.urgency };
    for (const f of FIELDS) {
      const g = r[f] ?? '';
      if (!g) continue;
      into.gold[f].push(g);
      into.pred[f].push(got[f].label);
      into.conf[f].push(got[f].confidence);
      if (g !== got[f].label) {
        const why = f === 'urgency' ? an.urgency.reasons.join(',') : f === 'sentiment' ? String(an.sentiment.score) : String(an.requestType.confidence);
        into.errors[f].push(`[${f} ${g}→${got[f].label} ${why}] ${r.text.slice(0, 120)}`);
      }
      if (f === 'sentiment' && peer) into.peerSentiment.push(peer(r.text).label);
    }
  }
}

function figures(c: Collected, field: Field): Record<string, unknown> {
  const gold = c.gold[field];
  const pred = c.pred[field];
  const ev = evaluate(gold, pred);
  const correct = gold.map((g, i) => g === pred[i]);
  const cal = reliability(c.conf[field], correct);
  const fig: Record<string, unknown> = { macroF1: ev.macroF1, accuracy: ev.accuracy, n: gold.length };
  if (field === 'urgency') {
    let tp = 0, fp = 0, fn = 0, normal = 0;
    gold.forEach((g, i) => {
      const p = pred[i];
      if (g !== 'urgent') normal++;
      if (g === 'urgent' && p === 'urgent') tp++;
      else if (p === 'urgent') fp++;
      else if (g === 'urgent') fn++;
    });
    fig.urgentRecall = tp + fn ? round(tp / (tp + fn)) : 0;
    fig.urgentPrecision = tp + fp ? round(tp / (tp + fp)) : 0;
    fig.normalFlaggedPer1000 = normal ? Math.round((fp / normal) * 10000) / 10 : 0;
  }
  fig.perClass = ev.perClass;
  fig.confusion = confusion(gold, pred);
  fig.ece = cal.ece;
  fig.reliability = cal.table;
  fig.review = reviewQueue(c.conf[field], correct, nlpThresholds()[THRESHOLD_KEY[field]]);
  return fig;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        test: { type: 'string' },
        train: { type: 'string' },
        save: { type: 'boolean' },
        'no-models': { type: 'boolean' },
        cv: { type: 'string' },
        seed: { type: 'string', default: '1' },
        extra: { type: 'string' },
        baseline: { type: 'boolean' },
        'baseline-script': { type: 'string' },
        python: { type: 'string', default: '/usr/bin/python3' },
        rows: { type: 'string' },
        errors: { type: 'string', default: '0' },
        'peer-lexicon': { type: 'string' },
        negations: { type: 'string' },
        fields: { type: 'string', default: FIELDS.join(',') },
        'fit-on': { type: 'string' },
        compare: { type: 'string' },
        unlabelled: { type: 'string' },
        replies: { type: 'string' },
        texts: { type: 'string' },
        'extra-real': { type: 'string' },
      },
    }));
  } catch (err) {
    console.error(`eval analyze: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const k = values.cv === undefined ? 0 : Number(values.cv);
  if (!values.test || (values.cv !== undefined && (!Number.isInteger(k) || k < 2)) || (values.rows && values.rows !== 'odd' && values.rows !== 'even')) {
    console.error(USAGE);
    return 2;
  }
  const log = (m: string) => console.error(m);
  const fields = new Set(values.fields.split(',').map((f) => f.trim()));
  for (const f of fields) {
    if (!(FIELDS as readonly string[]).includes(f)) {
      console.error(`eval analyze: --fields takes ${FIELDS.join(', ')}, not "${f}"`);
      return 2;
    }
  }
  // a field left out is neither trained nor scored
  const only = (r: LabelledMessage): LabelledMessage => ({ text: r.text, ...Object.fromEntries(FIELDS.filter((f) => fields.has(f)).map((f) => [f, r[f]])) });
  const peer = values['peer-lexicon'] ? peerReader(values['peer-lexicon'], values.negations) : null;
  let full: LabelledMessage[];
  try {
    textsById = values.texts ? readTextsById(values.texts) : undefined;
    full = readRows(values.test);
    // every labelled file read once here, so a bad one is a message, not a stack trace
    for (const f of [values.extra, values['extra-real'], values.compare, values.train]) if (f) readRows(f);
  } catch (err) {
    console.error(`eval analyze: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (values.rows) full = full.filter((_, i) => (i % 2 === 1) === (values.rows === 'odd'));
  const rows = full.map(only);
  let unlabelled: string[] | undefined;
  try {
    unlabelled = values.unlabelled ? readUnlabelled(values.unlabelled, full.map((r) => r.text)) : undefined;
  } catch (err) {
    console.error(`eval analyze: --unlabelled: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (unlabelled) log(`eval analyze: ${unlabelled.length} unlabelled messages for self-training (rows of --test left out)`);
  let distant: { text: string; type: string }[] | undefined;
  try {
    distant = values.replies ? readReplyLabelled(values.replies, full.map((r) => r.text)) : undefined;
  } catch (err) {
    console.error(`eval analyze: --replies: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  if (distant) log(`eval analyze: ${distant.length} messages labelled by their official reply (rows of --test left out)`);
  const c = collected();
  const out: Record<string, unknown> = {};

  if (values.compare) {
    const brief = (x: Collected) => Object.fromEntries(FIELDS.filter((f) => x.gold[f].length).map((f) => {
      const fig = figures(x, f);
      return [f, { macroF1: fig.macroF1, accuracy: fig.accuracy, n: fig.n, ece: fig.ece, ...(f === 'urgency' ? { urgentRecall: fig.urgentRecall, urgentPrecision: fig.urgentPrecision } : {}) }];
    }));
    read(rows, c, null);
    out.shipped = brief(c);
    const fitOn = new Set((values['fit-on'] ?? '').split(',').map((f) => f.trim()).filter(Boolean));
    const trainRows = values.compare.split(',').map((f) => f.trim()).filter(Boolean).flatMap((f) => readRows(f).map((r) => ({ ...only(r), fit: fitOn.size ? fitOn.has(f) : true })));
    const trained = trainReaders(trainRows, { log, unlabelled, distant });
    // a reader the city's files hold no labels for stays the shipped one
    const restore = useReaders({ requestType: trained.requestType ?? undefined, urgency: trained.urgency ?? undefined, sentiment: trained.sentiment ?? undefined });
    const city = collected();
    try {
      read(rows, city, null);
    } finally {
      restore();
    }
    out.cityTrained = { ...brief(city), trainRows: trainRows.length };
    console.log(JSON.stringify(out));
    return 0;
  }
  if (k) {
    // stratified on urgency first (few urgent rows), then type, so every fold has some of each
    // extra rows train every fold but fit no setting or calibration (those are fitted on the file's own rows)
    // (an extra row whose opening is a --test row's is dropped: no held-out message is seen in training)
    const testKeys = new Set(full.map((r) => openingKey(r.text)));
    const extraAll = values.extra ? readRows(values.extra) : [];
    const realAll = values['extra-real'] ? readRows(values['extra-real']) : [];
    const extra = [
      ...extraAll.filter((r) => !testKeys.has(openingKey(r.text))).map((r) => ({ ...only(r), fit: false })),
      ...realAll.filter((r) => !testKeys.has(openingKey(r.text))).map((r) => ({ ...only(r), fit: true })),
    ];
    if (extra.length < extraAll.length + realAll.length) log(`eval analyze: ${extraAll.length + realAll.length - extra.length} --extra/--extra-real rows are --test rows too and are left out`);
    // (from all the file's labels, so that --fields picks readers, not other folds)
    const strata = full.map((r) => (r.urgency === 'urgent' ? 'urgent' : r.type || 'none'));
    const folds = stratifiedFolds(strata, k, Number(values.seed));
    const peerRuns: Record<string, FoldScore[]> = {};
    const oursByFold: Record<string, number[]> = {};
    const dir = values.baseline ? mkdtempSync(path.join(tmpdir(), 'minsheng-analyze-cv-')) : '';
    try {
      for (let f = 0; f < k; f++) {
        const train = rows.filter((_, i) => folds[i] !== f);
        const test = rows.filter((_, i) => folds[i] === f);
        const t0 = performance.now();
        const readers = trainReaders([...train, ...extra], { seed: Number(values.seed) + f, unlabelled, distant });
        const restore = useReaders(readers);
        const before = FIELDS.map((fl) => c.gold[fl].length);
        try {
          read(test, c, peer);
        } finally {
          restore();
        }
        FIELDS.forEach((fl, j) => {
          const g = c.gold[fl].slice(before[j]);
          if (g.length) (oursByFold[fl] ??= []).push(evaluate(g, c.pred[fl].slice(before[j])).macroF1);
        });
        console.error(`fold ${f + 1}/${k}: trained on ${train.length}${extra.length ? ` + ${extra.length} extra` : ''} rows in ${Math.round(performance.now() - t0)} ms, read ${test.length}`);
        if (values.baseline) {
          for (const field of FIELDS) {
            const tr = [...train, ...extra].filter((r) => r[field]);
            const te = test.filter((r) => r[field]);
            if (!te.length || new Set(tr.map((r) => r[field])).size < 2) continue;
            const trainFile = path.join(dir, `${field}-${f}-train.csv`);
            const testFile = path.join(dir, `${field}-${f}-test.csv`);
            writeFileSync(trainFile, toCsv(['text', 'label'], tr.map((r) => ({ text: r.text, label: r[field] }))));
            writeFileSync(testFile, toCsv(['text', 'label'], te.map((r) => ({ text: r.text, label: r[field] }))));
            const p = runBaseline(values.python, path.resolve(values['baseline-script'] ?? DEFAULT_BASELINE), trainFile, testFile, 'text', 'label');
            (peerRuns[field] ??= []).push(p);
          }
        }
      }
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    out.cv = { folds: k, seed: Number(values.seed), extraRows: extra.length };
    // per-fold means, the way the peer reports (the pooled figures per field follow below)
    out.foldMeanMacroF1 = Object.fromEntries(Object.entries(oursByFold).map(([fl, xs]) => [fl, meanStd(xs)]));
    if (values.baseline) {
      out.peer = Object.fromEntries(
        Object.entries(peerRuns).map(([fl, runs]) => [fl, { macroF1: meanStd(runs.map((r) => r.macroF1)), accuracy: meanStd(runs.map((r) => r.accuracy)), folds: runs.length }]),
      );
    }
  } else {
    let restore: (() => void) | null = null;
    if (values['no-models']) restore = useReaders({ requestType: null, urgency: null, sentiment: null });
    if (values.train) {
      // --train FILES: every row trains; with --fit-on FILES, settings and calibration are fitted only on the rows from those files
      const fitOn = new Set((values['fit-on'] ?? '').split(',').map((f) => f.trim()).filter(Boolean));
      const trainRows = values.train
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
        .flatMap((f) => readRows(f).map((r) => ({ ...r, fit: fitOn.size ? fitOn.has(f) : true })));
      const readers: Readers = trainReaders(trainRows, { log, unlabelled, distant });
      restore = useReaders(readers);
      if (values.save) {
        if (readers.requestType) saveTextClassifier(readers.requestType, MODEL_FILES.requestType, { quantize: true });
        if (readers.sentiment) saveSentimentModel(readers.sentiment, MODEL_FILES.sentiment);
        if (readers.urgency) saveUrgencyReader(readers.urgency, MODEL_FILES.urgency);
        console.error(`saved ${[readers.requestType && MODEL_FILES.requestType, readers.sentiment && MODEL_FILES.sentiment, readers.urgency && MODEL_FILES.urgency].filter(Boolean).join(', ')}`);
      }
    }
    try {
      read(rows, c, peer);
    } finally {
      restore?.();
    }
  }

  const nErr = Number(values.errors);
  if (nErr > 0) for (const f of FIELDS) for (const e of c.errors[f].slice(0, nErr)) console.error(e);
  for (const f of FIELDS) if (c.gold[f].length) out[f] = figures(c, f);
  if (peer && c.gold.sentiment.length) {
    const ev = evaluate(c.gold.sentiment, c.peerSentiment);
    out.peerSentiment = { macroF1: ev.macroF1, accuracy: ev.accuracy, n: c.gold.sentiment.length, lexicon: values['peer-lexicon']!.split('/').pop() };
  }
  console.log(JSON.stringify(out));
  return 0;
}
