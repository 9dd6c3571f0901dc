import { describe, expect, it } from 'vitest';
import { detectPii, isValidIdCard15, isValidIdCard18, luhnValid, maskPii } from './pii';

const kinds = (t: string) => detectPii(t).spans.map((s) => s.kind);

describe('ID numbers (GB 11643)', () => {
  it('accepts a valid 18-digit number and rejects a wrong check digit or date', () => {
    expect(isValidIdCard18('11010519491231002X')).toBe(true);
    expect(isValidIdCard18('110105194912310021')).toBe(false); // check digit should be X
    expect(isValidIdCard18('11010519491331002X')).toBe(false); // month 13
    expect(isValidIdCard18('440524188001010014')).toBe(false); // year before 1900
  });
  it('validates 15-digit numbers by their birth date', () => {
    expect(isValidIdCard15('130503670401001')).toBe(true);
    expect(isValidIdCard15('130503671301001')).toBe(false);
  });
  it('flags only valid numbers in text and masks the birth date', () => {
    const r = detectPii('身份证号11010519491231002X');
    expect(r.spans).toMatchObject([{ kind: 'id_card', value: '11010519491231002X' }]);
    expect(r.maskedText).toBe('身份证号110105********002X');
    expect(kinds('订单号110105194912310021')).toEqual([]);
  });
});

describe('bank cards (Luhn)', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('finds valid cards with separators and keeps the first and last four digits', () => {
    const r = detectPii('卡号 6222 0000 0000 0009 谢谢');
    expect(r.spans.map((s) => s.kind)).toEqual(['bank_card']);
    expect(r.maskedText).toBe('卡号 6222 **** **** 0009 谢谢');
    expect(kinds('卡号6222000000000005')).toEqual([]);
  });
});

describe('phones', () => {
  it('masks mobiles in any common format', () => {
    expect(maskPii('电话13812345678')).toBe('电话138****5678');
    expect(maskPii('+86 138-1234-5678')).toBe('+86 138-****-5678');
    expect(maskPii('138 1234 5678')).toBe('138 **** 5678');
  });
  it('does not take 12345 or a 10-digit number for a mobile', () => {
    expect(kinds('打12345热线')).toEqual([]);
    expect(kinds('编号1381234567')).toEqual([]);
  });
  it('finds landlines with an area code, or after the word 电话', () => {
    expect(detectPii('座机0553-5812345').spans).toMatchObject([{ kind: 'landline', masked: '0553-****345' }]);
    expect(detectPii('(0553)5812345').spans[0]?.kind).toBe('landline');
    expect(detectPii('联系电话：5812345').spans).toMatchObject([{ kind: 'landline', value: '5812345' }]);
  });
});

describe('plates, e-mail and names', () => {
  it('finds ordinary and new-energy plates', () => {
    expect(detectPii('车牌皖B·12345').spans).toMatchObject([{ kind: 'plate', masked: '皖B·***45' }]);
    expect(kinds('皖BD12345停在消防通道')).toEqual(['plate']);
    expect(kinds('皖B12345D')).toEqual(['plate']);
  });
  it('masks e-mail addresses', () => {
    expect(maskPii('邮箱zhang.san@example.com')).toBe('邮箱z***@example.com');
  });
  it('masks names after 我叫 / 本人 / 我姓 when they start with a surname', () => {
    expect(maskPii('我叫王小明，住在镜湖区')).toBe('我叫王**，住在镜湖区');
    expect(maskPii('我姓王')).toBe('我姓王**');
    expect(maskPii('本人张伟，身份证')).toBe('本人张**，身份证');
    expect(maskPii('我叫欧阳娜娜')).toBe('我叫欧阳**');
    expect(maskPii('我的名字是郗晓兰')).toBe('我的名字是郗**');
    expect(maskPii('本人名叫禤国强，住在镜湖区')).toBe('本人名叫禤**，住在镜湖区');
    // 我叫 also means "I called": a name after it starts with a known surname
    expect(maskPii('我叫人来修')).toBe('我叫人来修');
    expect(maskPii('小区名叫锦澜家园')).toBe('小区名叫锦澜家园');
  });
  it('masks a name after 我是 when a break follows it, not a place or a word (我是安徽人)', () => {
    expect(maskPii('我是刘桂兰，电话找我')).toBe('我是刘**，电话找我');
    expect(maskPii('工地夜间作业扰民，我是欧阳晓雯。')).toBe('工地夜间作业扰民，我是欧阳**。');
    expect(maskPii('我是王建军')).toBe('我是王**');
    expect(kinds('我是安徽人，在这里工作')).toEqual([]);
    expect(kinds('我是金陵镇（原名）的村民')).toEqual([]);
    expect(kinds('我是农村住的平房')).toEqual([]);
    expect(kinds('我是王家村的村民')).toEqual([]);
    expect(kinds('我是周边居民，天天听到噪音')).toEqual([]);
  });
  it('masks a number of ID length after 身份证号 even when its check digit is wrong', () => {
    expect(maskPii('身份证号340202198705061234，请处理')).toBe('身份证号340202********1234，请处理');
    expect(kinds('订单号340202198705061234')).not.toContain('id_card'); // no cue, a wrong check digit: no ID
  });
  it('leaves prose that only looks like an introduction', () => {
    expect(kinds('本人是残疾人')).toEqual([]);
    expect(kinds('我叫不出名字')).toEqual([]);
  });
  it('returns spans with offsets into the text and keeps clear text for staff', () => {
    const t = '我叫李华，电话13912345678';
    const r = detectPii(t);
    for (const s of r.spans) expect(t.slice(s.start, s.end)).toBe(s.value);
  });
  it('handles empty text', () => {
    expect(detectPii('')).toEqual({ spans: [], maskedText: '' });
  });
});

/** texts in which nothing is personal data: no span, the masked text the text itself */
function unmasked(texts: readonly string[]): void {
  for (const t of texts) {
    expect(detectPii(t).spans, t).toEqual([]);
    expect(maskPii(t)).toBe(t);
  }
}

describe('names in a record’s own words, and the common words around them', () => {
  it('masks the name after 联系人 / 来电人 / 投诉人 and before 来电 / 反映 when it starts with a surname', () => {
    expect(maskPii('联系人：王建国，电话13812345678')).toBe('联系人：王**，电话138****5678');
    expect(maskPii('来电人李秀英反映楼道灯坏了')).toBe('来电人李**反映楼道灯坏了');
    expect(maskPii('投诉人 欧阳明轩称噪音扰民')).toBe('投诉人 欧阳**称噪音扰民');
    expect(maskPii('钱文斌来电：电梯又停了')).toBe('钱**来电：电梯又停了');
    expect(maskPii('昨天，张先生反映门口积水')).toBe('昨天，张**反映门口积水');
    expect(maskPii('姓名：赵丽，身份证11010519491231002X')).toBe('姓名：赵**，身份证110105********002X');
  });
  it('masks the names after a linking word (及 / 受 …) and the names listed after them', () => {
    expect(maskPii('被举报人及孙志强、周婷婷存在拖欠工资行为')).toBe('被举报人及孙**、周**存在拖欠工资行为');
    expect(maskPii('举报人受何建军之托施工')).toBe('举报人受何**之托施工');
    expect(maskPii('投诉人及时反映了，没人管')).toBe('投诉人及时反映了，没人管');
    expect(maskPii('当事人与物业协商未果')).toBe('当事人与物业协商未果');
  });
  it('leaves 反映, 要求 and the like alone after a cue word or before one', () => {
    unmasked([
      '投诉人反映小区噪音扰民，要求尽快处理',
      '当事人要求退还押金',
      '来电人要求回电说明进度',
      '反映人希望尽快修好路灯',
      '有群众反映，要求整改',
      '居民多次反映此事',
      '市民投诉夜间施工',
      '投诉人向社区反映过三次',
      '全体业主投诉物业',
      '强烈要求相关部门处理',
    ]);
  });
  it('masks what a public view must not show and keeps the words that say what happened', async () => {
    const { maskPublicText } = await import('../opinion/sample');
    const t = '联系人周美玲反映，镜湖区中山南路18号3单元楼道漏水，要求尽快维修，电话13905531234';
    const out = maskPublicText(t);
    expect(out).toBe('联系人周**反映，镜湖区中山南路*号*号楼道漏水，要求尽快维修，电话139****1234');
    for (const word of ['反映', '要求', '维修', '中山南路']) expect(out).toContain(word);
    for (const leak of ['美玲', '18号', '3单元', '0553123']) expect(out).not.toContain(leak);
  });
  it('masks any name after a cue and a separator (：, a space, 是 / 为 / 叫), rare surnames too', () => {
    expect(maskPii('联系人：禤国强，电话13812345678')).toBe('联系人：禤**，电话138****5678');
    expect(maskPii('投诉人 郗晓兰反映楼道堆物')).toBe('投诉人 郗**反映楼道堆物');
    expect(maskPii('投诉人：郗强反映楼道堆物')).toBe('投诉人：郗**反映楼道堆物');
    expect(maskPii('来电人叫亓文华，住在三楼')).toBe('来电人叫亓**，住在三楼');
    expect(maskPii('联系人是暴国强')).toBe('联系人是暴**');
    expect(maskPii('当事人为訾明')).toBe('当事人为訾**');
    expect(maskPii('姓名：厍玉兰')).toBe('姓名：厍**');
    // compound surnames keep both characters
    expect(maskPii('联系人：上官婉清')).toBe('联系人：上官**');
    expect(maskPii('求助人：诸葛文远')).toBe('求助人：诸葛**');
    expect(maskPii('举报人司马青反映')).toBe('举报人司马**反映');
    expect(maskPii('来电人王青反映')).toBe('来电人王**反映');
  });
  it('masks a rare surname straight after a cue or before 来电 / 反映, and no word the cue runs into', () => {
    expect(maskPii('投诉人郗强反映')).toBe('投诉人郗**反映');
    expect(maskPii('联系人禤国强，电话未留。')).toBe('联系人禤**，电话未留。');
    expect(maskPii('联系人冼丽娟反映路灯不亮')).toBe('联系人冼**反映路灯不亮');
    expect(maskPii('禤国强来电反映路灯不亮')).toBe('禤**来电反映路灯不亮');
    // the cue inside a longer word (联系|人民群众, 咨询|人社局) and a known word before 投诉 name no one
    unmasked(['政府联系人民群众的桥梁', '打电话咨询人社局', '，经多方投诉未果', '，曾多次投诉', '，向您反映一个问题', '有群众反映']);
  });
  it('keeps the words that go on the sentence after a separator, and the surname rule right after a cue', () => {
    unmasked([
      '投诉人：反映楼下烧烤油烟大',
      '当事人：要求退还押金',
      '投诉人 称夜里施工',
      '来电人：表示不满意',
      '来电人：希望尽快答复',
      '投诉人：说物业不管',
      '联系人：联系不上',
      '举报人：不愿透露姓名',
      '投诉人：仍未处理',
      '投诉人是否同意调解',
      '当事人为了孩子上学',
      '投诉人为本村村民',
      '投诉人是小区业主',
      '投诉人：匿名',
      '投诉人：向社区反映',
      '投诉人：全体业主',
      '投诉人：锦湾苑业主代表',
      '投诉人：柳溪村村民',
    ]);
    expect(maskPii('联系人电话13905531234')).toBe('联系人电话139****1234');
    expect(maskPii('联系人：电话13905531234')).toBe('联系人：电话139****1234');
    expect(maskPii('联系人：手机号13905531234')).toBe('联系人：手机号139****1234');
    expect(detectPii('联系人电话13905531234').spans.map((s) => s.kind)).toEqual(['mobile']);
  });
});
