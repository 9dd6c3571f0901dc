// 热点 hot topics: messages of the last N days grouped by a case keyword within a district, ranked
// by volume plus the rise over the previous N days (a burst), with a masked sample and the share
// negative. Volume counts messages, not cases: twenty residents reporting one burst pipe were
// merged into one case, and that is exactly what makes it hot.
import { isOpenStatus } from '../cases/statuses';
import { listHotTopicRows, type HotTopicRow as Row } from '../db/analytics';
import type { Db } from '../db/connect';
import { listPublicSampleSources } from '../db/messages';
import { maskPii } from '../nlp/pii';

export interface HotTopic {
  /** `district|keyword`, stable across refreshes */
  key: string;
  district: string | null;
  keyword: string;
  /** the keyword and the ones most of the topic's cases share with it */
  keywords: string[];
  /** messages in the window, duplicates merged into a case included */
  volume: number;
  cases: number;
  /** cases of the topic still open (在办) */
  open: number;
  /** messages with the same keyword and district in the previous window */
  previous: number;
  /** (volume - previous) / previous; null when the previous window had none */
  growth: number | null;
  burst: boolean;
  negative: number;
  negativeShare: number;
  topCategory: string | null;
  /** a public message of the topic (its largest case first), names, addresses and numbers masked, then cut */
  sampleTitle: string;
}

export interface HotTopicsOptions {
  days: number;
  now?: Date;
  limit?: number;
  /** a topic needs at least this many messages in the window */
  minVolume?: number;
}

export interface HotTopics {
  days: number;
  from: Date;
  to: Date;
  previousFrom: Date;
  /** messages in the window (the denominator of every topic's volume) */
  messages: number;
  topics: HotTopic[];
}


// place names say where, not what: the district is already half of the key
const PLACE_WORD = /(?:街道|社区|[区县市镇乡])$/;
const BURST_MIN = 3;
// words any message may contain: as a topic they group unrelated messages
const GENERIC = new Set([
  '问题', '反映', '情况', '办理', '处理', '解决', '希望', '请问', '咨询', '投诉', '举报', '建议', '市民', '来电', '来电人', '在吗', '你好', '您好',
  '谢谢', '一下', '现在', '没有', '已经', '听说', '到底', '怎么', '什么', '为什么', '能否', '是否', '可以', '需要', '要求', '相关', '部门',
  '政府', '工作人员', '尽快', '一直', '多次', '每天', '晚上', '今天', '昨天', '最近', '时间', '一片', '几天', '此致', '敬礼', '此致敬礼',
]);

function topicWords(r: Row): string[] {
  const places = new Set([r.district, r.street, r.community, '芜湖', '芜湖市'].filter(Boolean));
  return [...new Set(r.keywords.map((k) => k.trim()).filter((k) => k.length >= 2 && !places.has(k) && !PLACE_WORD.test(k) && !GENERIC.has(k)))];
}


const SAMPLE_CHARS = 60;
// who is speaking: 联系人周美玲 / 来电人：钱文斌 — the 1–3 characters after it are the name
const NAME_AFTER = /(联系人|来电人|投诉人|反映人|举报人|咨询人|当事人|姓名)([:：\s]*)([\u4e00-\u9fff])[\u4e00-\u9fff]{0,2}/g;
// 钱文斌来电：… at the start of a sentence
const NAME_BEFORE = /(^|[，。；：！？,.;:!?\s])([\u4e00-\u9fff]{2,3})(?=来电|来信|致电|反映|投诉)/g;
const NOT_A_NAME = new Set(['市民', '居民', '群众', '业主', '网友', '住户', '村民', '家长', '老人', '商户', '学生', '我们', '有人', '本人', '今天', '昨天', '多次', '多人', '再次']);
// house numbers: 中山南路100号 keeps the road (where, in public) and loses the door (whose)
const HOUSE_NUMBER = /[0-9０-９一二三四五六七八九十百零〇]+(?:号楼|号院|号|栋|幢|单元|室|户|层)/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A message's text as the public may see it: PII masked first, then names and addresses, then cut. */
export function publicSample(text: string, known: { contactName?: string | null; address?: string | null } = {}): string {
  let t = maskPii(text);
  const name = known.contactName?.trim();
  if (name && name.length >= 2) t = t.replace(new RegExp(escapeRe(name), 'g'), `${name[0]}**`);
  const address = known.address?.trim();
  if (address && address.length >= 4) t = t.replace(new RegExp(escapeRe(address), 'g'), '[地址]');
  t = t
    .replace(NAME_AFTER, (_m, intro: string, sep: string, surname: string) => `${intro}${sep}${surname}**`)
    .replace(NAME_BEFORE, (m, lead: string, who: string) => (NOT_A_NAME.has(who) ? m : `${lead}${who[0]}**`))
    .replace(HOUSE_NUMBER, '*号');
  return [...t].slice(0, SAMPLE_CHARS).join('');
}

function most<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [v, c] of counts) if (c > n) [best, n] = [v, c];
  return best;
}

const keyOf = (district: string | null, word: string) => `${district ?? ''}|${word}`;

export async function getHotTopics(sql: Db, o: HotTopicsOptions): Promise<HotTopics> {
  const to = o.now ?? new Date();
  const span = o.days * 86_400_000;
  const from = new Date(to.getTime() - span);
  const previousFrom = new Date(from.getTime() - span);
  const limit = o.limit ?? 10;
  const minVolume = o.minVolume ?? 2;
  const rows = await listHotTopicRows(sql, previousFrom, to);
  const current = rows.filter((r) => r.receivedAt >= from);
  const words = new Map<number, string[]>(); // per case
  for (const r of rows) if (!words.has(r.caseId)) words.set(r.caseId, topicWords(r));

  const previousByKey = new Map<string, number>();
  for (const r of rows) {
    if (r.receivedAt >= from) continue;
    for (const w of words.get(r.caseId)!) previousByKey.set(keyOf(r.district, w), (previousByKey.get(keyOf(r.district, w)) ?? 0) + 1);
  }

  // greedy: the biggest (district, keyword) group becomes a topic and its messages leave the pool,
  // so one cluster of cases is never shown again under each of its other keywords
  let pool = current;
  const topics: HotTopic[] = [];
  /** per topic key: its messages, the largest case's first (where the sample comes from) */
  const sampleOrder = new Map<string, number[]>();
  while (pool.length && topics.length < limit * 3) {
    const groups = new Map<string, Row[]>();
    for (const r of pool) {
      for (const w of words.get(r.caseId)!) {
        const k = keyOf(r.district, w);
        const g = groups.get(k);
        if (g) g.push(r);
        else groups.set(k, [r]);
      }
    }
    let bestKey: string | null = null;
    let best: Row[] = [];
    for (const [k, g] of groups) {
      if (g.length > best.length || (g.length === best.length && bestKey !== null && k < bestKey)) [bestKey, best] = [k, g];
    }
    if (!bestKey || best.length < minVolume) break;
    const keyword = bestKey.slice(bestKey.indexOf('|') + 1);
    const caseIds = [...new Set(best.map((r) => r.caseId))];
    const shared = new Map<string, number>();
    for (const id of caseIds) for (const w of words.get(id)!) if (w !== keyword) shared.set(w, (shared.get(w) ?? 0) + 1);
    // a word is a companion when most of the topic's cases share it (one case proves nothing)
    const companions = [...shared].filter(([, n]) => caseIds.length > 1 && n * 2 > caseIds.length)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2).map(([w]) => w);
    const previous = previousByKey.get(bestKey) ?? 0;
    const negative = best.filter((r) => r.sentiment === 'negative').length;
    const largest = most(best.map((r) => r.caseId))!;
    topics.push({
      key: bestKey,
      district: best[0].district,
      keyword,
      keywords: [keyword, ...companions],
      volume: best.length,
      cases: caseIds.length,
      open: caseIds.filter((id) => isOpenStatus(best.find((r) => r.caseId === id)!.status)).length,
      previous,
      growth: previous ? Math.round(((best.length - previous) / previous) * 1000) / 1000 : null,
      burst: best.length >= BURST_MIN && best.length >= 2 * previous,
      negative,
      negativeShare: Math.round((negative / best.length) * 1000) / 1000,
      topCategory: most(best.map((r) => r.category).filter((c): c is string => !!c && c !== 'unknown')),
      sampleTitle: '',
    });
    sampleOrder.set(bestKey, [...best.filter((r) => r.caseId === largest), ...best.filter((r) => r.caseId !== largest)].map((r) => r.messageId));
    const taken = new Set(best.map((r) => r.messageId));
    pool = pool.filter((r) => !taken.has(r.messageId));
  }
  // volume plus the rise over the previous window: a new burst outranks a steady topic of equal size
  const score = (t: HotTopic) => t.volume + Math.max(0, t.volume - t.previous);
  topics.sort((a, b) => score(b) - score(a) || b.volume - a.volume || a.key.localeCompare(b.key));
  const shown = topics.slice(0, limit);
  // samples only from messages their senders marked public; a topic of private messages shows none
  for (const t of shown) {
    const order = sampleOrder.get(t.key) ?? [];
    const sources = await listPublicSampleSources(sql, order.slice(0, 200));
    const byId = new Map(sources.map((m) => [m.id, m]));
    const pick = order.map((id) => byId.get(id)).find(Boolean);
    t.sampleTitle = pick ? publicSample(pick.title ?? pick.body, pick) : `${t.keyword}相关留言（均未公开）`;
  }
  return { days: o.days, from, to, previousFrom, messages: current.length, topics: shown };
}
