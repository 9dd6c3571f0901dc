// `npm run --silent cli -- eval analyze --test FILE.csv` on columns text and any of type,
// urgency, sentiment (an empty cell leaves that row out of that field's figures).
//   [--train FILE.csv]        train request-type and sentiment models on a labelled file first
//   [--save]                  …and ship them (lexicons/models/request-type.json, sentiment.json)
//   [--no-models]             rules and lexicons only, ignoring shipped models
//   [--peer-lexicon WORDS.csv [--negations NEG.csv]]  also score a peer word,score lexicon on sentiment
//   [--rows odd|even]         every other row only (odd: the half errors were studied on)
//   [--errors N]              print N misreads per field to stderr
// Prints one JSON object: {"type":{…},"sentiment":{…},"urgency":{…,"urgentRecall","urgentPrecision"}}.
import { readCsvFile } from '../../../core/util/csv';
import { analyzeMessage } from '../../../core/nlp/analyze';
import { setRequestTypeModel, REQUEST_TYPE_MODEL_FILE } from '../../../core/nlp/request-type';
import { setUrgencyModel, URGENCY_MODEL_FILE } from '../../../core/nlp/urgency';
import { saveSentimentModel, setSentimentModel, trainSentimentModel, SENTIMENT_MODEL_FILE } from '../../../core/nlp/sentiment';
import { saveTextClassifier, trainTextClassifier } from '../../../core/nlp/text-classifier';
import { evaluate } from '../../../core/nlp/text-classifier/metrics';
import { parseArgs, peerReader } from './sentiment';

const FIELDS = ['type', 'sentiment', 'urgency'] as const;
type Field = (typeof FIELDS)[number];

const round = (x: number) => Math.round(x * 10000) / 10000;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  if (!a.test) {
    console.error('usage: eval analyze --test FILE.csv [--train FILE.csv [--save]] [--no-models] [--peer-lexicon WORDS.csv] [--rows odd|even] [--errors N]');
    return 2;
  }
  if (a['no-models']) {
    setRequestTypeModel(null);
    setSentimentModel(null);
    setUrgencyModel(null);
  }
  if (a.train) {
    // several files may be given, comma-separated (e.g. the seed corpus and our labelled sets)
    const rows = a.train.split(',').flatMap((f) => readCsvFile(f.trim()).rows);
    const typed = rows.filter((r) => r.text && r.type);
    const rt = trainTextClassifier(typed.map((r) => r.text), typed.map((r) => r.type), { balanced: true, log: (m) => console.error(m) });
    const sent = rows.filter((r) => r.text && r.sentiment);
    const sm = trainSentimentModel(sent.map((r) => r.text), sent.map((r) => r.sentiment), { log: (m) => console.error(m) });
    const urg = rows.filter((r) => r.text && (r.urgency === 'urgent' || r.urgency === 'normal'));
    const um = urg.length ? trainTextClassifier(urg.map((r) => r.text), urg.map((r) => r.urgency), { log: (m) => console.error(m) }) : null;
    setRequestTypeModel(rt);
    setSentimentModel(sm);
    if (um) setUrgencyModel(um);
    if (a.save) {
      saveTextClassifier(rt, REQUEST_TYPE_MODEL_FILE, { quantize: true });
      saveSentimentModel(sm, SENTIMENT_MODEL_FILE);
      if (um) saveTextClassifier(um, URGENCY_MODEL_FILE, { quantize: true });
      console.error(`saved ${REQUEST_TYPE_MODEL_FILE}, ${SENTIMENT_MODEL_FILE}${um ? ` and ${URGENCY_MODEL_FILE}` : ''}`);
    }
  }

  let { rows } = readCsvFile(a.test);
  if (a.rows === 'odd' || a.rows === 'even') rows = rows.filter((_, i) => (i % 2 === 1) === (a.rows === 'odd'));
  const gold: Record<Field, string[]> = { type: [], sentiment: [], urgency: [] };
  const pred: Record<Field, string[]> = { type: [], sentiment: [], urgency: [] };
  const peer = a['peer-lexicon'] ? peerReader(a['peer-lexicon'], a.negations) : null;
  const peerPred: string[] = [];
  const errors: Record<Field, string[]> = { type: [], sentiment: [], urgency: [] };
  for (const r of rows) {
    const text = r.text ?? '';
    const an = analyzeMessage(text);
    const got: Record<Field, string> = { type: an.requestType.label, sentiment: an.sentiment.label, urgency: an.urgency.label };
    for (const f of FIELDS) {
      const g = (r[f] ?? '').trim();
      if (!g) continue;
      gold[f].push(g);
      pred[f].push(got[f]);
      if (g !== got[f]) {
        const why = f === 'urgency' ? an.urgency.reasons.join(',') : f === 'sentiment' ? String(an.sentiment.score) : String(an.requestType.confidence);
        errors[f].push(`[${f} ${g}→${got[f]} ${why}] ${text.slice(0, 120)}`);
      }
      if (f === 'sentiment' && peer) peerPred.push(peer(text).label);
    }
  }
  const nErr = Number(a.errors ?? 0);
  if (nErr > 0) for (const f of FIELDS) for (const e of errors[f].slice(0, nErr)) console.error(e);

  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (!gold[f].length) continue;
    const ev = evaluate(gold[f], pred[f]);
    const fig: Record<string, number> = { macroF1: ev.macroF1, accuracy: ev.accuracy, n: gold[f].length };
    if (f === 'urgency') {
      let tp = 0, fp = 0, fn = 0;
      gold[f].forEach((g, i) => {
        const p = pred[f][i];
        if (g === 'urgent' && p === 'urgent') tp++;
        else if (p === 'urgent') fp++;
        else if (g === 'urgent') fn++;
      });
      fig.urgentRecall = tp + fn ? round(tp / (tp + fn)) : 0;
      fig.urgentPrecision = tp + fp ? round(tp / (tp + fp)) : 0;
    }
    out[f] = fig;
  }
  if (peer && gold.sentiment.length) {
    const ev = evaluate(gold.sentiment, peerPred);
    out.peerSentiment = { macroF1: ev.macroF1, accuracy: ev.accuracy, n: gold.sentiment.length, lexicon: a['peer-lexicon']!.split('/').pop() };
  }
  console.log(JSON.stringify(out));
  return 0;
}
