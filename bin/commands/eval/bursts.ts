// `npm run --silent cli -- eval bursts --data FILE.csv [--seed N] [--bursts 12]`: replays the file
// (columns of the TipDM 2020 C attachment 3) in time order with synthetic bursts injected — each
// 10–20 messages about one problem at one made-up place in one district, at random times within
// two hours, worded from interchangeable phrases — through the topic code the workers run
// (core/opinion/replay.ts), and reads the burst episodes the detector opened. A burst is detected
// when an episode of its topic or its district opens while it lasts (or up to 15 minutes after);
// every other episode is a false alarm. Delay is given from the burst's first message and from the
// moment it became a burst of 10 messages within 2 hours. Last stdout line: one JSON object.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listBurstsSince } from '../../../core/db/topics';
import { openReplay, readReplayFile, type ReplayRow } from '../../../core/opinion/replay';
import { createRng as makeRng } from '../../../core/util/seeded-random';

const USAGE = 'usage: npm run --silent cli -- eval bursts --data FILE.csv [--seed N] [--bursts 12]';
const MIN = 60_000;

const PLACE_HEADS = ['金桂', '翠湖', '阳光', '锦绣', '华府', '龙湾', '滨江', '书香', '紫荆', '云栖', '枫林', '御景'];
const PLACE_TAILS = ['花园', '家园', '小区', '新城', '名苑'];
// each problem: subjects and sentences that say it in other words
const PROBLEMS: { subjects: string[]; sentences: string[] }[] = [
  { subjects: ['{p}停水', '{p}没水了', '{p}断水一整天', '{p}突然停水没有通知'], sentences: ['从早上开始就没有自来水', '水龙头一滴水都没有', '做饭洗漱都成了问题', '物业说是主管道爆了', '到现在还没恢复供水'] },
  { subjects: ['{p}停电', '{p}断电好几个小时', '{p}突然没电了', '{p}大面积停电'], sentences: ['整栋楼都没电', '冰箱里的东西都坏了', '电梯也停了老人下不了楼', '供电公司电话打不通', '晚上一片漆黑'] },
  { subjects: ['{p}工地夜间施工扰民', '{p}旁边工地半夜打桩', '{p}施工噪音太大', '{p}工地凌晨还在施工'], sentences: ['凌晨两点还在打桩', '噪音吵得孩子睡不着', '渣土车整夜进出', '投诉多次没人管', '请城管部门查处夜间施工'] },
  { subjects: ['{p}电梯故障困人', '{p}电梯又坏了', '{p}电梯频繁停运', '{p}电梯关人'], sentences: ['今天早上电梯困了人', '电梯一个月坏了好几次', '物业一直拖着不修', '老人只能爬楼梯', '存在严重安全隐患'] },
  { subjects: ['{p}垃圾无人清运', '{p}垃圾堆成山', '{p}垃圾站臭气熏天', '{p}生活垃圾好几天没人收'], sentences: ['垃圾桶早就满了', '苍蝇蚊子到处都是', '天热臭味很大', '环卫工好几天没来', '请尽快安排清运'] },
  { subjects: ['{p}下水道堵塞污水横流', '{p}污水外溢', '{p}化粪池满了', '{p}下水道反水'], sentences: ['污水流到了路上', '一楼家里都进了污水', '臭味熏得人没法出门', '物业说管不了', '请尽快疏通下水道'] },
];

interface Injected {
  index: number;
  district: string;
  place: string;
  rows: ReplayRow[];
  start: Date;
  /** when it had 10 messages within two hours */
  qualifiedAt: Date;
  end: Date;
}

export async function run(argv: string[]): Promise<number> {
  let values: { data?: string; seed?: string; bursts?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { data: { type: 'string' }, seed: { type: 'string', default: '1' }, bursts: { type: 'string', default: '12' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const seed = Number(values.seed);
  const count = Number(values.bursts);
  if (!values.data || !Number.isInteger(seed) || !Number.isInteger(count) || count < 1 || count > 500) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(values.data)) {
    console.error(`eval bursts: no such file: ${values.data}`);
    return 2;
  }
  let background: ReplayRow[];
  try {
    background = readReplayFile(values.data);
  } catch (err) {
    console.error(`eval bursts: ${(err as Error).message}`);
    return 2;
  }
  if (background.length < 10) {
    console.error(`eval bursts: ${values.data} has too few messages to replay`);
    return 2;
  }
  const r = makeRng(seed);
  // the districts the file speaks of (anonymised codes such as A3区), else real names
  const seen = new Map<string, number>();
  for (const row of background) for (const m of `${row.subject} ${row.detail}`.matchAll(/[A-Z][0-9]{1,2}[区县]/g)) seen.set(m[0], (seen.get(m[0]) ?? 0) + 1);
  const districts = [...seen].filter(([, n]) => n >= 20).map(([d]) => d);
  if (!districts.length) districts.push('镜湖区', '弋江区', '鸠江区');
  // bursts in the busy part of the file (between its 5th and 95th percentile), a week apart at least
  const t5 = background[Math.floor(background.length * 0.05)].at.getTime();
  const t95 = background[Math.floor(background.length * 0.95)].at.getTime();
  const injected: Injected[] = [];
  let nextId = 90_000_000;
  for (let i = 0; i < count; i++) {
    let start = 0;
    for (let tries = 0; tries < 100; tries++) {
      start = t5 + r.next() * (t95 - t5);
      if (injected.every((b) => Math.abs(b.start.getTime() - start) > 7 * 86_400_000)) break;
    }
    const district = r.pick(districts);
    const place = `${r.pick(PLACE_HEADS)}${r.pick(PLACE_TAILS)}`;
    const problem = r.pick(PROBLEMS);
    const n = r.int(10, 20);
    const times = Array.from({ length: n }, () => start + r.next() * 120 * MIN).sort((a, b) => a - b);
    times[0] = start;
    const rows = times.map((t) => {
      const sentences = r.shuffle([...problem.sentences]).slice(0, r.int(2, 4));
      const where = r.chance(0.5) ? `A市${district}${place}` : `${district}${place}`;
      return { id: nextId++, subject: r.pick(problem.subjects).replace('{p}', where), detail: `${where}${sentences.join('，')}。`, at: new Date(t), likes: r.int(0, 3) };
    });
    injected.push({ index: i, district, place, rows, start: new Date(times[0]), qualifiedAt: new Date(times[9]), end: new Date(times[times.length - 1]) });
  }
  const stream = [...background, ...injected.flatMap((b) => b.rows)].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const topicOf = new Map<number, number>();
  const started = performance.now();
  const replay = await openReplay();
  try {
    for (const [i, row] of stream.entries()) {
      const res = await replay.add(row);
      topicOf.set(row.id, res.topicId);
      if ((i + 1) % 500 === 0) console.error(`eval bursts: ${i + 1}/${stream.length} messages`);
    }
    const episodes = await listBurstsSince(replay.db.sql, new Date(0));
    const used = new Set<number>();
    const results = injected.map((b) => {
      const topics = new Set(b.rows.map((x) => topicOf.get(x.id)));
      const until = b.end.getTime() + 15 * MIN;
      const hits = episodes.filter((e) => e.startedAt.getTime() >= b.start.getTime() && e.startedAt.getTime() <= until
        && ((e.scope === 'topic' && topics.has(Number(e.topicId))) || (e.scope === 'district' && e.district === b.district)));
      for (const h of hits) used.add(h.id);
      const first = hits.length ? Math.min(...hits.map((h) => h.startedAt.getTime())) : null;
      return {
        burst: b.index, district: b.district, place: b.place, messages: b.rows.length, start: b.start.toISOString(),
        detected: first !== null, detectedAt: first === null ? null : new Date(first).toISOString(),
        delayFromStartMinutes: first === null ? null : Math.round((first - b.start.getTime()) / MIN * 10) / 10,
        delayAfterTenMinutes: first === null ? null : Math.round((first - b.qualifiedAt.getTime()) / MIN * 10) / 10,
        topics: topics.size,
      };
    });
    // an episode that also overlaps an injected burst's district and time but came from another topic
    // is still a false alarm: only the burst's own topic or district counts
    const falseAlarms = episodes.filter((e) => !used.has(e.id));
    const span = stream[stream.length - 1].at.getTime() - stream[0].at.getTime();
    const busySpan = t95 - t5;
    const weeks = span / (7 * 86_400_000);
    const busyWeeks = busySpan / (7 * 86_400_000);
    const inBusy = falseAlarms.filter((e) => e.startedAt.getTime() >= t5 && e.startedAt.getTime() <= t95).length;
    const perWeek = new Map<string, number>();
    for (const e of falseAlarms) {
      const w = Math.floor((e.startedAt.getTime() - stream[0].at.getTime()) / (7 * 86_400_000));
      perWeek.set(String(w), (perWeek.get(String(w)) ?? 0) + 1);
    }
    const delays = results.filter((x) => x.detected).map((x) => x.delayAfterTenMinutes!);
    const fromStart = results.filter((x) => x.detected).map((x) => x.delayFromStartMinutes!);
    const secs = (performance.now() - started) / 1000;
    const summary = {
      seed, messages: stream.length, background: background.length, injected: injected.length,
      simulatedWeeks: Math.round(weeks * 10) / 10, busyWeeks: Math.round(busyWeeks * 10) / 10,
      detected: results.filter((x) => x.detected).length,
      detectedWithin15MinutesOfTen: results.filter((x) => x.detected && x.delayAfterTenMinutes! <= 15).length,
      maxDelayAfterTenMinutes: delays.length ? Math.max(...delays) : null,
      medianDelayFromStartMinutes: fromStart.length ? fromStart.sort((a, b) => a - b)[Math.floor(fromStart.length / 2)] : null,
      maxDelayFromStartMinutes: fromStart.length ? Math.max(...fromStart) : null,
      falseAlarms: falseAlarms.length,
      falseAlarmsPerWeek: Math.round((falseAlarms.length / weeks) * 1000) / 1000,
      falseAlarmsPerBusyWeek: Math.round((inBusy / busyWeeks) * 1000) / 1000,
      maxFalseAlarmsInOneWeek: perWeek.size ? Math.max(...perWeek.values()) : 0,
      falseAlarmEpisodes: falseAlarms.map((e) => ({ scope: e.scope, topicId: e.topicId, district: e.district, startedAt: e.startedAt, observed: e.observed, expected: e.expected, windowHours: e.windowHours })),
      bursts: results,
      seconds: Math.round(secs),
    };
    console.log(`eval bursts: ${summary.detected}/${summary.injected} detected (${summary.detectedWithin15MinutesOfTen} within 15 min of their 10th message), ${summary.falseAlarms} false alarms over ${summary.simulatedWeeks} weeks (${summary.falseAlarmsPerWeek}/week)`);
    console.log(JSON.stringify(summary));
    return 0;
  } finally {
    await replay.close();
  }
}
