// A month of believable Wuhu resident messages for the demo: all four channels with their real
// payloads, a daily and weekly rhythm, and a few bursts (a water outage, a construction-noise
// cluster, a gym that closed) so duplicates and hot topics exist. Same seed, same messages and ids.
import { incomingMessageSchema, type Channel, type IncomingMessage } from '../messages/incoming';
import type { RequestType, SentimentLabel, Urgency } from '../nlp/types';
import { loadAccounts, type Account } from './accounts';
import { BURSTS, type BurstPlace, type BurstSpec } from './bursts';
import { loadGazetteer, type Gazetteer, type GazetteerDistrict, type GazetteerStreet } from '../places/gazetteer';
import { hotlineOrderJson, portalFormJson, weiboCommentJson, wechatTextXml, chinaTime } from './payloads';
import { createRng, hash32, type Rng } from '../util/seeded-random';
import { CATEGORIES, loadSeedMessages, type Category, type SeedMessage } from './seed-corpus';

export interface GenerateDemoOptions {
  seed: number;
  count: number;
  /** the end of the demo window; messages fall in the `days` days before it */
  now: Date;
  days?: number;
  /** the places and accounts messages are written about and to (default: the shipped ones) */
  gazetteer?: Gazetteer;
  accounts?: Account[];
}

/** What the generator meant each message to be: the answer key for tests and evaluation. */
export interface DemoLabels {
  category: Category;
  type: RequestType;
  urgency: Urgency;
  sentiment: SentimentLabel;
  burst: BurstSpec['id'] | null;
  place: { district: string; street: string; community: string | null };
}

export interface DemoDataset {
  /** sorted by receivedAt */
  messages: IncomingMessage[];
  /** labels[i] belongs to messages[i] */
  labels: DemoLabels[];
}

// Open311 clients are not simulated: the demo speaks the four Chinese channels
type DemoChannel = Exclude<Channel, 'open311'>;
export const CHANNEL_SHARE: Record<DemoChannel, number> = { hotline: 0.45, wechat: 0.25, portal: 0.15, weibo: 0.15 };
const CATEGORY_SHARE: Record<Category, number> = {
  城乡建设: 0.27, 交通运输: 0.15, 劳动和社会保障: 0.14, 环境保护: 0.12, 商贸旅游: 0.11, 卫生计生: 0.11, 教育文体: 0.1,
};
/** urban districts get more messages, as they have more people */
const DISTRICT_WEIGHT: Record<string, number> = { 镜湖区: 5, 弋江区: 3.5, 鸠江区: 4, 湾沚区: 1.5, 繁昌区: 1.2, 南陵县: 1.2, 无为市: 1.8 };
/** the urban districts: those weighted by their population above the rest */
const URBAN_WEIGHT = 3;

// residents' local hour of day (0-23), per channel: the hotline works office hours, social media peaks at night
const HOURS: Record<DemoChannel, number[]> = {
  hotline: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 6, 6, 5.5, 3.5, 4, 5.5, 5.5, 5, 4, 2.5, 1.8, 1.5, 1.2, 0.8, 0.4],
  wechat: [1, 0.6, 0.3, 0.2, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 3, 3, 2.5, 2.5, 2.5, 2.5, 2.5, 2.8, 3.5, 4, 4, 3, 2],
  weibo: [1.5, 0.8, 0.4, 0.2, 0.1, 0.2, 0.5, 1.2, 2, 2.5, 2.5, 2.5, 3, 2.5, 2.2, 2.2, 2.2, 2.5, 3, 3.8, 4.5, 4.5, 3.5, 2.5],
  portal: [0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 3, 4, 4, 3.5, 2, 3, 3.5, 3.5, 3, 2.5, 2, 2, 2, 1.8, 1.2, 0.6],
};
const WEEKEND_FACTOR: Record<DemoChannel, number> = { hotline: 0.55, portal: 0.6, wechat: 1, weibo: 1.15 };

const COMPLEXES = '金色家园 阳光花园 星河湾 翡翠城 春江花苑 滨江花园 锦绣江南 御景园 湖畔新城 东方名苑 梧桐苑 银湖苑 利民新村 长江新村 百花苑 世纪华庭 碧水云天 凤凰城 翰林苑 丽景湾 北城花园 江南春晓 学府名苑 香樟园 绿洲家园 金港湾'.split(' ');
const SURNAMES = '王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 汪 程 方 陶 夏 鲍 章'.split(' ');
const GIVEN = '伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建国 志强 春梅 海燕 文 红 玉兰 德华 子涵 浩然 欣怡 梓轩 雨桐 思远 晓东 丽华 家豪'.split(' ');
const NICK_A = '江城 鸠兹 镜湖边 芜湖 弋江 小城 赭山脚下 青弋江畔 江北 皖南'.split(' ');
const NICK_B = '小王 阿杰 的猫 居民 打工人 宝妈 老李 小陈同学 大叔 吃货 跑步的 阿May 老程'.split(' ');
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const DAY_MS = 86_400_000;
const CN_OFFSET_MS = 8 * 3600_000;

type Style = 'hotline' | 'letter' | 'short';
function styleOf(text: string): Style {
  if (/^(来电人|市民来电)/.test(text)) return 'hotline';
  if (/^(尊敬的|领导您好|您好！)/.test(text) || text.length > 150) return 'letter';
  return 'short';
}
const STYLE_FOR: Record<DemoChannel, Style> = { hotline: 'hotline', portal: 'letter', wechat: 'short', weibo: 'short' };

interface Resident { name: string; formal: string; phone: string; openid: string; uid: string; screenName: string }
const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function generateDemoMessages(opts: GenerateDemoOptions): IncomingMessage[] {
  return generateDemoDataset(opts).messages;
}

export function generateDemoDataset(opts: GenerateDemoOptions): DemoDataset {
  const { seed, count } = opts;
  const days = opts.days ?? 30;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  if (!(days >= 1)) throw new Error(`days must be at least 1, got ${days}`);
  const now = opts.now.getTime();
  const windowStart = now - days * DAY_MS;
  // every message draws from its own generators, keyed by seed and position: what a message is
  // (channel, text, resident, id) never depends on the clock, only when it arrived does
  const rngAt = (i: number) => createRng(`minsheng-demo:${seed}:${i}`);
  const clockAt = (i: number) => createRng(`minsheng-demo-clock:${seed}:${i}`);
  const g = opts.gazetteer ?? loadGazetteer();
  const accounts = opts.accounts ?? loadAccounts();
  const seedRows = loadSeedMessages();
  const relocate = makeRelocator(g);
  const seedPart = hash32(`ids:${seed}`) % 100_000;

  const pool: Record<Category, Record<Style, SeedMessage[]>> = Object.fromEntries(
    CATEGORIES.map((c) => [c, { hotline: [], letter: [], short: [] }]),
  ) as never;
  for (const r of seedRows) pool[r.category][styleOf(r.text)].push(r);

  const residentsPer = (ch: DemoChannel) => Math.max(5, Math.floor(count * CHANNEL_SHARE[ch] * 0.75));
  const residentCache = new Map<string, Resident>();
  const resident = (rng: Rng, ch: DemoChannel): Resident => {
    const idx = rng.int(0, residentsPer(ch) - 1);
    const key = `${ch}:${idx}`;
    let r = residentCache.get(key);
    if (!r) {
      const rr = createRng(`resident:${seed}:${key}`);
      const surname = rr.pick(SURNAMES);
      r = {
        name: surname + rr.pick(GIVEN),
        formal: surname + rr.pick(['先生', '女士']),
        phone: `1${rr.pick(['38', '39', '55', '77', '80', '88'])}0553${pad(rr.int(0, 9999), 4)}`,
        openid: 'o' + Array.from({ length: 27 }, () => rr.pick([...ID_CHARS])).join(''),
        uid: `6${pad(rr.int(0, 999_999_999), 9)}`,
        screenName: `${rr.pick(NICK_A)}${rr.pick(NICK_B)}${rr.chance(0.6) ? rr.int(1, 2025) : ''}`,
      };
      residentCache.set(key, r);
    }
    return r;
  };

  const channels = Object.keys(CHANNEL_SHARE) as DemoChannel[];
  const pickChannel = (rng: Rng) => rng.weighted(channels, channels.map((c) => CHANNEL_SHARE[c]));
  const localMidnight = (t: number) => Math.floor((t + CN_OFFSET_MS) / DAY_MS) * DAY_MS - CN_OFFSET_MS;

  /** a moment in the window following the channel's weekly and daily rhythm */
  const sampleTime = (rng: Rng, ch: DemoChannel): number => {
    const today = localMidnight(now);
    const ks = Array.from({ length: days + 1 }, (_, k) => k);
    for (let attempt = 0; attempt < 20; attempt++) {
      const k = rng.weighted(ks, ks.map((k) => {
        const dow = chinaTime(new Date(today - k * DAY_MS + 12 * 3600_000)).dow;
        return dow === 0 || dow === 6 ? WEEKEND_FACTOR[ch] : 1;
      }));
      const hour = rng.weighted([...HOURS[ch].keys()], HOURS[ch]);
      const t = today - k * DAY_MS + hour * 3600_000 + rng.int(0, 3599) * 1000;
      if (t > windowStart && t <= now) return t;
    }
    return now - rng.int(1, Math.max(1, Math.floor((now - windowStart) / 1000) - 1)) * 1000;
  };

  const urbanDistricts = g.districts.filter((d) => (DISTRICT_WEIGHT[d.name] ?? 0) >= URBAN_WEIGHT);
  const pickDistrict = (rng: Rng): GazetteerDistrict => rng.weighted(g.districts, g.districts.map((d) => DISTRICT_WEIGHT[d.name] ?? 1));

  interface Draft { channel: DemoChannel; at: number; text: string; title: string | null; labels: DemoLabels; road: string | null }
  const drafts: Draft[] = [];

  // bursts: each around one place and one time, on every channel
  const used = new Set<string>();
  const burstCount = (b: BurstSpec) => Math.min(Math.floor(count / 4), Math.max(count >= 30 ? 3 : 0, Math.round(count * b.share)));
  for (const b of BURSTS) {
    const n = burstCount(b);
    if (n === 0) continue;
    const rng = createRng(`minsheng-demo-burst:${seed}:${b.id}`);
    let d: GazetteerDistrict, s: GazetteerStreet;
    do {
      d = rng.pick(urbanDistricts);
      s = rng.pick(d.streets.filter((x) => x.name.endsWith('街道')));
    } while (used.has(s.name));
    used.add(s.name);
    const place: BurstPlace = {
      district: d.name, street: s.name, road: rng.pick(s.roads), complex: rng.pick(COMPLEXES),
      communities: rng.shuffle([...s.communities]).slice(0, Math.min(3, s.communities.length)),
    };
    const span = Math.min(b.hours * 3600_000, (now - windowStart) * 0.9);
    const start = windowStart + rng.next() * (now - windowStart - span);
    const maxW = Math.max(...b.hourWeights);
    for (let k = 0; k < n; k++) {
      const i = drafts.length;
      const clock = clockAt(i);
      let t = start;
      for (let attempt = 0; attempt < 50; attempt++) {
        t = start + clock.next() * span;
        const decay = b.id === 'water-outage' ? Math.exp(-(t - start) / (18 * 3600_000)) : 1;
        if (clock.next() < (b.hourWeights[chinaTime(new Date(t)).h] / maxW) * decay) break;
      }
      const r = rngAt(i);
      const ch = pickChannel(r);
      const m = b.write(r, ch, place);
      drafts.push({
        channel: ch, at: Math.min(Math.floor(t / 1000) * 1000, now), text: m.text, road: place.road,
        title: ch === 'portal' ? burstTitle(b.id, place, r) : null,
        labels: { category: m.category, type: m.type, urgency: m.urgency, sentiment: m.sentiment, burst: b.id, place: { district: d.name, street: s.name, community: m.community } },
      });
    }
  }

  // everyday messages: seed corpus texts, moved to a new place and dressed for their channel
  const cats = [...CATEGORIES];
  while (drafts.length < count) {
    const rng = rngAt(drafts.length);
    const clock = clockAt(drafts.length);
    const ch = pickChannel(rng);
    const category = rng.weighted(cats, cats.map((c) => CATEGORY_SHARE[c]));
    const want = STYLE_FOR[ch];
    const candidates = pool[category][want].length ? pool[category][want] : [...pool[category].short, ...pool[category].letter, ...pool[category].hotline];
    const row = rng.pick(candidates);
    const moved = relocate(row.text, rng, () => pickDistrict(rng));
    const text = dress(vary(moved.text, ch, moved.place, rng), ch, rng);
    drafts.push({
      channel: ch, at: sampleTime(clock, ch), text, road: moved.road,
      title: ch === 'portal' ? portalTitle(text, row.type, rng) : null,
      labels: { category: row.category, type: row.type, urgency: row.urgency, sentiment: row.sentiment, burst: null, place: moved.place },
    });
  }

  // ids come from the seed and the position, never from the clock, so a re-run yields the same ids
  const messages: IncomingMessage[] = drafts.map((dr, i) => {
    const rng = createRng(`minsheng-demo-contact:${seed}:${i}`);
    const at = new Date(dr.at);
    const who = resident(rng, dr.channel);
    const account = pickAccount(accounts, dr.channel, dr.labels.category, rng);
    const { district, street, community } = dr.labels.place;
    switch (dr.channel) {
      case 'wechat': {
        const msgId = `24${pad(seedPart, 5)}${pad(i, 7)}${pad(hash32(`wx:${seed}:${i}`) % 100_000, 5)}`;
        return incomingMessageSchema.parse({
          channel: 'wechat', externalId: msgId, receivedAt: at, rawContentType: 'application/xml',
          raw: wechatTextXml({ toUser: account.handle, fromUser: who.openid, createTime: at, content: dr.text, msgId }),
          body: dr.text, contactHandle: who.openid, account: account.name, isPublic: false,
        });
      }
      case 'weibo': {
        const id = `5${pad(seedPart % 10_000, 4)}${pad(i, 7)}${pad(hash32(`wb:${seed}:${i}`) % 10_000, 4)}`;
        const statusId = `5${pad(seedPart % 10_000, 4)}00${pad(hash32(`post:${seed}:${account.handle}:${rng.int(0, 11)}`) % 1e9, 9)}`;
        return incomingMessageSchema.parse({
          channel: 'weibo', externalId: id, receivedAt: at, rawContentType: 'application/json',
          raw: weiboCommentJson({ id, text: dr.text, createdAt: at, uid: who.uid, screenName: who.screenName, statusId }),
          body: dr.text, contactName: who.screenName, contactHandle: who.uid, account: account.name, isPublic: false,
        });
      }
      case 'portal': {
        const id = `WHLY${pad(seedPart, 5)}${pad(i, 6)}`;
        const isPublic = rng.chance(0.75);
        const title = dr.title ?? '';
        return incomingMessageSchema.parse({
          channel: 'portal', externalId: id, receivedAt: at, rawContentType: 'application/json',
          raw: portalFormJson({ title, content: dr.text, contactName: who.name, phone: who.phone, district, street, isPublic }),
          title, body: dr.text, contactName: who.name, contactPhone: who.phone, account: account.name,
          address: `${district}${street}`, isPublic,
        });
      }
      case 'hotline': {
        const orderNo = `WH12345-${pad(seedPart, 5)}-${pad(i, 6)}`;
        const address = `芜湖市${district}${street}${community ?? ''}${dr.road && rng.chance(0.4) ? dr.road + '附近' : ''}`;
        return incomingMessageSchema.parse({
          channel: 'hotline', externalId: orderNo, receivedAt: at, rawContentType: 'application/json',
          raw: hotlineOrderJson({ orderNo, callTime: at, callerPhone: who.phone, content: dr.text, address, category: dr.labels.category }),
          body: dr.text, contactName: who.formal, contactPhone: who.phone, account: account.name, address, isPublic: false,
        });
      }
    }
  });

  const order = messages.map((_, i) => i).sort((a, b) => messages[a].receivedAt.getTime() - messages[b].receivedAt.getTime() || a - b);
  return { messages: order.map((i) => messages[i]), labels: order.map((i) => drafts[i].labels) };
}

// residents write to a bureau's own account only about that bureau's matters
const ACCOUNT_TOPICS: Record<string, Category[]> = {
  'traffic-police': ['交通运输'], police: ['环境保护', '交通运输', '城乡建设'], hrss: ['劳动和社会保障'],
  health: ['卫生计生'], ecology: ['环境保护'], market: ['商贸旅游', '卫生计生'],
};
function pickAccount(accounts: Account[], ch: DemoChannel, category: Category, rng: Rng): Account {
  const mine = accounts.filter((a) => a.channel === ch && (a.department === 'centre' || (ACCOUNT_TOPICS[a.department] ?? []).includes(category)));
  // a bureau's account draws most of its own topic's traffic
  return rng.weighted(mine, mine.map((a) => (a.department === 'centre' ? a.weight : a.weight * 4)));
}

const HOTLINE_LEADS = ['来电人反映：', '市民来电反映，', '来电人称，', '来电人反映，'];
const HOTLINE_TAILS = ['来电人情绪激动。', '请相关部门核实处理。', '来电人要求回电。', '来电人已多次来电。', '请尽快处理并回复来电人。', '来电人要求保密。'];
const GREETINGS = ['尊敬的领导：您好！', '尊敬的市长：', '领导您好：', '您好！', '尊敬的相关部门领导：', '尊敬的领导：'];
const CLOSINGS = ['望领导重视，谢谢！', '盼复，谢谢！', '恳请相关部门尽快处理，万分感谢！', '期待您的回复。', '此致敬礼！', '谢谢！', '麻烦了，谢谢领导！', '盼早日解决。'];
const SHORT_ENDS = ['', '', '。', '！', '，谢谢', '，麻烦了', '，盼回复', '，急'];

/** Re-dresses a reused seed text (lead, greeting, introduction, closing) so reuse rarely repeats a text. */
function vary(text: string, ch: DemoChannel, place: DemoLabels['place'], rng: Rng): string {
  const here = `${place.district}${place.street}${place.community ?? ''}`;
  if (ch === 'hotline' && /^(来电人|市民来电)/.test(text)) {
    let t = text.replace(/^(来电人反映：|市民来电反映，|来电人称，|来电人反映，)/, () => rng.pick(HOTLINE_LEADS));
    if (!/其居住在|^[^，：]*[：，]\S{0,6}(区|县|市)/.test(t) && rng.chance(0.5)) t = t.replace(/^([^：，]*[：，])/, `$1其居住在${here}，`);
    // only complaints carry the operator's remark, so a remark is swapped, never added
    const tail = new RegExp(`(${HOTLINE_TAILS.join('|')})$`);
    if (!tail.test(t)) return t;
    t = t.replace(tail, '');
    return rng.chance(0.8) ? t + rng.pick(HOTLINE_TAILS) : t;
  }
  if (ch === 'portal' && /^(尊敬的|领导您好|您好！)/.test(text)) {
    let t = text.replace(/^(尊敬的[^：:\n]{0,12}[：:](您好[！。])?|领导您好[：:]|您好！)\s*/, '');
    t = t.replace(/^(我是[^。]{0,30}的居民。|本人家住[^。]{0,30}。|我住在[^。]{0,20}。|我是一名住在[^。]{0,20}的普通市民。)/, '');
    const intro = rng.pick([`我是${here}的居民。`, `本人家住${here}。`, `我住在${place.district}${place.street}。`, `我是一名住在${place.street}的普通市民。`, '']);
    t = t.replace(new RegExp(`(${CLOSINGS.join('|')})$`), '');
    return `${rng.pick(GREETINGS)}${rng.chance(0.3) ? '\n' : ''}${intro}${t}${/感谢/.test(t.slice(-20)) ? '' : rng.pick(CLOSINGS)}`;
  }
  if (ch === 'wechat' || ch === 'weibo') {
    const t = text.replace(/[。！，]?(谢谢|麻烦了|盼回复|急)?[。！]?$/, '');
    return /[？?！!\]]$/.test(t) ? t : t + rng.pick(SHORT_ENDS);
  }
  return text;
}

/** Social-media decorations belong to Weibo; WeChat messages to an account carry none. */
function dress(text: string, ch: DemoChannel, rng: Rng): string {
  if (ch === 'wechat') return text.replace(/^(@\S+|#[^#]+#|求助)\s+/, '').replace(/\s*@\S+$/, '').replace(/\[[^\]]{1,3}\]/g, '');
  if (ch === 'weibo' && !/^[@#]/.test(text) && rng.chance(0.25)) return rng.pick(['@芜湖发布 ', '#芜湖# ', '回复@芜湖12345: ']) + text;
  return text;
}

function burstTitle(id: BurstSpec['id'], p: BurstPlace, rng: Rng): string {
  if (id === 'water-outage') return rng.pick([`${p.street}大面积停水`, `关于${p.street}停水的问题`, `${p.complex}停水至今未恢复`]);
  if (id === 'construction-noise') return rng.pick([`${p.road}工地夜间施工扰民`, `关于${p.road}工地夜间施工噪音的投诉`, '夜间施工噪音严重影响休息']);
  return rng.pick(['悦动健身关门，预付卡无法退款', '关于悦动健身跑路的投诉', '健身房跑路会员维权']);
}

const TITLE_STRIP = [
  /^(尊敬的[^：:\n]{0,12}[：:]|领导您好[：:]?|您好[！。]|你好[，,])/u,
  /^(我是[^。]{0,30}[。，]|本人家住[^。]{0,30}。|我住在[^。]{0,20}。)/u,
  /^(想咨询一个问题：|有个政策问题想请教：|想提一个建议。|作为市民想提点建议。|今天写信是想表达感谢。|想借这个平台表达谢意。|现实名举报：|我要反映一个情况。|想反映一个问题，|我要投诉：|遇到急事向领导求助：|想请领导帮帮忙。)/u,
];
function portalTitle(text: string, type: RequestType, rng: Rng): string {
  let body = text.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of TITLE_STRIP) {
      const next = body.replace(re, '').trim();
      if (next !== body) { body = next; changed = true; }
    }
  }
  const core = body.split(/[，。！？,]/u)[0] || body;
  if (core.length > 22) return core.slice(0, 21) + '…';
  const noun = { 咨询: '咨询', 建议: '建议', 感谢: '感谢信', 举报: '举报', 投诉: '问题', 求助: '求助' }[type];
  return rng.chance(0.5) ? `关于${core}的${noun}` : core;
}

interface Relocated { text: string; place: DemoLabels['place']; road: string | null }

/** Moves a seed text to a new place: every gazetteer name in it is replaced consistently. */
function makeRelocator(g: Gazetteer) {
  type Kind = 'district' | 'street' | 'community' | 'road' | 'landmark';
  const kinds = new Map<string, Kind>();
  for (const d of g.districts) {
    kinds.set(d.name, 'district');
    for (const s of d.streets) {
      kinds.set(s.name, 'street');
      for (const c of s.communities) kinds.set(c, 'community');
      for (const r of s.roads) if (!kinds.has(r)) kinds.set(r, 'road');
    }
  }
  for (const l of g.landmarks) kinds.set(l.name, 'landmark');
  // county hospitals only make sense in their county; elsewhere the resident goes to a city hospital
  const countyHospital = /(南陵县医院|无为市人民医院|繁昌区人民医院|湾沚区医院)/u;
  const names = [...kinds.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(names.join('|'), 'gu');

  return (text: string, rng: Rng, pickDistrict: () => GazetteerDistrict): Relocated => {
    const mentioned = text.match(re) ?? [];
    const landmark = mentioned.find((m) => kinds.get(m) === 'landmark');
    let d: GazetteerDistrict;
    let s: GazetteerStreet;
    if (landmark) {
      const l = g.landmarks.find((x) => x.name === landmark)!;
      d = g.districts.find((x) => x.name === l.district)!;
      s = d.streets.find((x) => x.name === l.street)!;
    } else {
      d = pickDistrict();
      s = rng.pick(d.streets);
    }
    const community = rng.pick(s.communities);
    const roads = rng.shuffle([...s.roads]);
    const roadMap = new Map<string, string>();
    let out = text.replace(countyHospital, (h) => (h.startsWith(d.name) ? h : rng.pick(['市第一人民医院', '弋矶山医院', '市第二人民医院'])));
    out = out.replace(re, (m) => {
      switch (kinds.get(m)) {
        case 'district': return d.name;
        case 'street': return s.name;
        case 'community': return community;
        case 'road': {
          if (!roadMap.has(m)) roadMap.set(m, roads[roadMap.size % roads.length]);
          return roadMap.get(m)!;
        }
        default: return m;
      }
    });
    return { text: out, place: { district: d.name, street: s.name, community }, road: roadMap.size ? [...roadMap.values()][0] : roads[0] ?? null };
  };
}
