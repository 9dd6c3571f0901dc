// The knowledge-base ranking (BM25F over jieba tokens and character pairs) on entries in memory.
import { describe, expect, it } from 'vitest';
import { fillTemplate, residentAddress, unknownPlaceholders } from './knowledge-base';
import { chooseTerms, entryLexemes, MemoryKbSource, rankEntries, scoreDocs } from './rank';

function source(entries: { question: string; answer: string; category?: string }[]): MemoryKbSource {
  const s = new MemoryKbSource();
  entries.forEach((e, i) => s.add({ id: i + 1, ...entryLexemes(e), category: e.category ?? null }));
  return s;
}

const STOCK = '您好！您的留言已收悉，现将有关情况回复如下：';
const KB = [
  { question: '灵活就业人员怎么缴纳社保？', answer: `${STOCK}可持身份证到街道社保窗口办理参保登记。` },
  { question: '孩子入学划片范围怎么查询？', answer: `${STOCK}入学划片范围由区教育局公布。`, category: '教育' },
  { question: '小区停车费涨价是否合理？', answer: `${STOCK}停车服务收费实行市场调节价。` },
  { question: '路灯不亮找哪个部门？', answer: `${STOCK}道路路灯由城管部门维护，可拨打 12345 报修。` },
  { question: '公租房申请条件是什么？', answer: `${STOCK}家庭人均收入低于标准且本市无自有住房可申请。` },
];

describe('rankEntries', () => {
  it('puts the entry about the same matter first, however jieba cuts the words', async () => {
    const kb = source(KB);
    expect((await rankEntries(kb, '我是灵活就业的，社保在哪里交？'))[0].id).toBe(1);
    expect((await rankEntries(kb, '我家孩子明年上小学，想查一下入学划片'))[0].id).toBe(2);
    // 赭山路路灯 is cut 路 | 灯…, the character pair 路灯 still matches
    expect((await rankEntries(kb, '赭山路路灯不亮好几天了'))[0].id).toBe(4);
    expect((await rankEntries(kb, { heading: '公租房', text: '申请要什么条件' }))[0].id).toBe(5);
  });

  it('scores lie in 0…1, best first, at most the limit, none for words no entry holds', async () => {
    const kb = source(KB);
    const r = await rankEntries(kb, '小区停车费又涨价了，物业说了算吗', { limit: 2 });
    expect(r.length).toBeLessThanOrEqual(2);
    expect(r[0].id).toBe(3);
    for (const x of r) expect(x.score).toBeGreaterThan(0), expect(x.score).toBeLessThanOrEqual(1);
    expect(r.map((x) => x.score)).toEqual([...r.map((x) => x.score)].sort((a, b) => b - a));
    expect(await rankEntries(kb, 'xyzzy')).toEqual([]);
    expect(await rankEntries(new MemoryKbSource(), '社保')).toEqual([]);
  });

  it('stock phrases every answer shares weigh nothing next to a rare word', async () => {
    const kb = source(KB);
    const r = await rankEntries(kb, `${STOCK}公租房`);
    expect(r[0].id).toBe(5);
    // a lexeme of every entry has the lowest idf of all chosen terms
    const stats = await kb.stats();
    const lex = entryLexemes({ question: '公租房 收悉', answer: '' }).questionLexemes;
    const df = await kb.docFreq(lex);
    const terms = chooseTerms(lex, df, stats.n);
    expect(df.get(terms[0].lexeme)).toBe(1); // only the 公租房 entry
    expect(df.get(terms.at(-1)!.lexeme)).toBe(KB.length); // 收悉: every answer
    expect(terms[0].idf).toBeGreaterThan(5 * terms.at(-1)!.idf);
  });

  it('a word in the question outweighs the same word in the answer; the same category lifts a little', () => {
    const a = { id: 1, ...entryLexemes({ question: '社保缴费', answer: '请到窗口办理。' }), category: null };
    const b = { id: 2, ...entryLexemes({ question: '窗口办理时间', answer: '社保缴费请到窗口。' }), category: '人社' };
    const stats = { n: 10, avgLen: (a.questionLexemes.length + b.questionLexemes.length) / 2 + 2 };
    const terms = [{ lexeme: '社保', idf: 2 }];
    const plain = scoreDocs(terms, [a, b], stats);
    expect(plain[0].id).toBe(1);
    const lifted = scoreDocs(terms, [a, b], stats, { category: '人社' });
    expect(lifted.find((x) => x.id === 2)!.score).toBeCloseTo(plain.find((x) => x.id === 2)!.score * 1.1, 6);
  });
});

describe('reply templates', () => {
  it('fills the known placeholders and names the unknown ones', () => {
    expect(fillTemplate('{居民称呼}：您好！编号 {受理编号}，{承办单位}。{其他}', { 居民称呼: '王先生', 受理编号: 'MS1', 承办单位: '住建局' })).toBe('王先生：您好！编号 MS1，住建局。{其他}');
    expect(unknownPlaceholders('{居民称呼}{居民姓名}{居民姓名}')).toEqual(['居民姓名']);
    expect(residentAddress('王先生')).toBe('王先生');
    expect(residentAddress('张三丰')).toBe('市民朋友');
    expect(residentAddress(null)).toBe('市民朋友');
  });
});
