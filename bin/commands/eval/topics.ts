// `npm run --silent cli -- eval topics --data FILE.csv [--limit 30]`: replays a file with the
// columns of the TipDM 2020 C attachment 3 (message_id, subject, detail, created_at, likes,
// dislikes) in time order through the topic code the workers run (core/opinion/replay.ts), then
// prints the topics ranked by heat. Last stdout line: {"topics":[{"id","label","size","heat","memberIds"}…]}.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listGenericWords } from '../../../core/db/opinion-generic';
import { listMembers, listTopicsActiveBetween } from '../../../core/db/topics';
import { gazetteerNames, GENERIC_CRITERIA, mineGenericWords, seedCorpusDocs } from '../../../core/opinion/generic-words';
import { analysisCache, openReplay, readReplayFile } from '../../../core/opinion/replay';
import { loadGazetteer } from '../../../core/places/gazetteer';

const USAGE = 'usage: npm run --silent cli -- eval topics --data FILE.csv [--limit 30] [--min-size 2] [--nlp-cache DIR]\n       (--nlp-cache: keep the NLP readings of the file in DIR, e.g. /tmp/topics-nlp, to iterate on the topic code faster; the topics are the same)\n       npm run --silent cli -- eval topics --mine-generic   (the generic words of our seed corpus, for lexicons/opinion.json minedGenericWords)';

export async function run(argv: string[]): Promise<number> {
  let values: { data?: string; limit?: string; 'min-size'?: string; 'mine-generic'?: boolean; 'nlp-cache'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { data: { type: 'string' }, limit: { type: 'string', default: '30' }, 'min-size': { type: 'string', default: '2' }, 'mine-generic': { type: 'boolean' }, 'nlp-cache': { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values['mine-generic']) {
    const words = mineGenericWords(seedCorpusDocs(), gazetteerNames(loadGazetteer()));
    for (const w of words) console.error(`  ${w.word}  ${w.docs} messages, ${w.categories} categories, evenness ${w.evenness}`);
    console.log(JSON.stringify({ criteria: GENERIC_CRITERIA, minedGenericWords: words.map((w) => w.word) }));
    return 0;
  }
  const limit = Number(values.limit);
  const minSize = Number(values['min-size']);
  if (!values.data || !Number.isInteger(limit) || limit < 1 || !Number.isInteger(minSize) || minSize < 1) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(values.data)) {
    console.error(`eval topics: no such file: ${values.data}`);
    return 2;
  }
  let rows;
  try {
    rows = readReplayFile(values.data);
  } catch (err) {
    console.error(`eval topics: ${(err as Error).message}`);
    return 2;
  }
  if (!rows.length) {
    console.error(`eval topics: ${values.data} has no messages`);
    return 2;
  }
  const started = performance.now();
  const cache = values['nlp-cache'] ? analysisCache(values['nlp-cache'], values.data) : null;
  const replay = await openReplay({ analyze: cache?.analyze });
  try {
    let created = 0;
    for (const [i, r] of rows.entries()) {
      if ((await replay.add(r)).created) created++;
      if ((i + 1) % 500 === 0) console.error(`eval topics: ${i + 1}/${rows.length} messages, ${created} topics opened`);
    }
    if (cache) {
      const c = cache.save();
      console.error(`eval topics: NLP readings ${c.hits} from ${c.file}, ${c.misses} read now`);
    }
    const end = rows[rows.length - 1].at;
    await replay.finish(end);
    const generic = await listGenericWords(replay.db.sql);
    console.error(`eval topics: ${generic.length} live generic words mined (weight 0, never in a label): ${generic.map((w) => w.word).join(' ')}`);
    const top = (await listTopicsActiveBetween(replay.db.sql, new Date(0), new Date(end.getTime() + 3_600_000), 2000)).filter((t) => t.size >= minSize).slice(0, limit);
    const topics = [];
    for (const t of top) {
      const members = await listMembers(replay.db.sql, t.id);
      topics.push({ id: t.id, label: t.label, size: t.size, heat: t.heat, heatParts: t.heatParts, district: t.district, burst: t.burstState, sample: t.publicSample, memberIds: members.map((m) => m.messageId) });
    }
    const secs = (performance.now() - started) / 1000;
    console.log(`eval topics: ${rows.length} messages in ${secs.toFixed(1)} s (${((secs * 1000) / rows.length).toFixed(1)} ms per message)`);
    for (const t of topics.slice(0, 20)) console.log(`  #${t.id}  heat ${t.heat.toFixed(1)}  ${t.size} msgs  ${t.label}  — ${t.sample ?? ''}`);
    console.log(JSON.stringify({ topics }));
    return 0;
  } finally {
    await replay.close();
  }
}
