import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../places/gazetteer';
import {
  createRouter, departmentsFileSchema, loadDepartments, loadRoutingTable, routeCase, ruleSpecificity, routingTableSchema,
  type RouteInput,
} from './routing';

const place = (district: string | null, street: string | null = null, community: string | null = null) => ({ district, street, community });
const input = (text: string, o: Partial<RouteInput> = {}): RouteInput => ({
  category: null, requestType: '投诉', keywords: [], text, place: place('镜湖区', '赭山街道'), ...o,
});
const dept = (text: string, o: Partial<RouteInput> = {}) => routeCase(input(text, o)).department;

describe('routing table and departments', () => {
  const table = loadRoutingTable();
  const departments = loadDepartments();

  it('validates and references only known departments', () => {
    const codes = new Set(departments.map((d) => d.code));
    for (const r of table.rules) if (r.department !== '@district') expect(codes, r.id).toContain(r.department);
    expect(codes).toContain('centre');
    for (const d of ['镜湖区', '弋江区', '鸠江区', '湾沚区', '繁昌区', '南陵县', '无为市']) {
      expect(departments.some((x) => x.kind === 'district' && x.district === d), d).toBe(true);
    }
    for (const c of ['housing', 'urban-mgmt', 'ecology', 'hrss', 'medical-insurance', 'education', 'health', 'transport', 'traffic-police', 'market', 'commerce', 'culture-tourism', 'natural-resources', 'water', 'grid', 'water-supply', 'gas']) {
      expect(codes, c).toContain(c);
    }
  });

  it('rejects broken files', () => {
    expect(routingTableSchema.safeParse({ ...table, rules: [...table.rules, table.rules[0]] }).success).toBe(false);
    expect(departmentsFileSchema.safeParse({ city: '芜湖市', departments: [...departments, departments[0]] }).success).toBe(false);
    const bad = { ...table, rules: [{ ...table.rules[0], department: 'no-such-dept' }] };
    expect(() => createRouter(bad, departments, loadGazetteer())).toThrow(/unknown department/);
  });

  it('evaluates rules from the most to the least specific', () => {
    const router = createRouter(table, departments, loadGazetteer());
    const s = router.rules.map(ruleSpecificity);
    expect(s).toEqual([...s].sort((a, b) => b - a));
  });
});

describe('routeCase: rule families', () => {
  it('utilities go to the companies, even when the category is wrong', () => {
    expect(dept('楼下有很浓的煤气味，怀疑燃气泄漏', { category: '环境保护', requestType: '求助' })).toBe('gas');
    expect(dept('小区从昨天下午开始停水，到现在没来水', { category: '城乡建设' })).toBe('water-supply');
    expect(dept('来电人反映：整栋楼晚上停电，至今没有恢复', { category: '城乡建设' })).toBe('grid');
    expect(dept('电梯又困人了', { category: '城乡建设' })).toBe('market');
  });

  it('county utilities go to the county government (place beats keyword)', () => {
    expect(dept('镇上停水两天了', { place: place('无为市', '无城镇') })).toBe('wuwei');
    expect(dept('燃气管道漏气', { place: place(null, '籍山镇') })).toBe('nanling');
    const r = routeCase(input('停水了', { place: place('南陵县') }));
    expect(r.ruleId).toBe('water-outage-county');
  });

  it('noise: construction at night → 城管, factory → 生态环境, square dancing → 公安', () => {
    const night = routeCase(input('工地每天晚上施工到凌晨，打桩声吵得睡不着', { category: '环境保护' }));
    expect(night).toMatchObject({ department: 'urban-mgmt', ruleId: 'night-construction-noise' });
    expect(night.reason).toContain('工地');
    expect(night.confidence).toBeGreaterThan(0.8);
    expect(dept('旁边工厂车间晚上噪音很大', { category: '环境保护' })).toBe('ecology');
    expect(dept('广场舞音响太大', { category: '环境保护' })).toBe('police');
    expect(dept('楼上装修天天电钻', { category: '环境保护', place: place('弋江区') })).toBe('yijiang');
  });

  it('pollution', () => {
    expect(dept('楼下烧烤店油烟直排', { category: '环境保护' })).toBe('urban-mgmt');
    expect(dept('化工厂晚上偷排污水', { category: '环境保护', requestType: '举报' })).toBe('ecology');
    expect(dept('有人在长江边电鱼', { category: '环境保护', requestType: '举报' })).toBe('agriculture');
    expect(dept('工地没有洒水，扬尘很大', { category: '环境保护' })).toBe('housing');
    expect(dept('河道发黑发臭', { category: '环境保护' })).toBe('water');
    expect(dept('村里有人焚烧秸秆', { category: '环境保护', place: place('繁昌区', '孙村镇') })).toBe('fanchang');
    expect(dept('附近总有一股说不清的味道', { category: '环境保护' })).toBe('ecology');
  });

  it('城乡建设', () => {
    expect(dept('路灯坏了半个月', { category: '城乡建设' })).toBe('urban-mgmt');
    expect(dept('井盖塌陷', { category: '城乡建设' })).toBe('urban-mgmt');
    expect(dept('顶楼私搭彩钢房', { category: '城乡建设' })).toBe('urban-mgmt');
    expect(dept('小区物业不作为，楼道垃圾没人清', { category: '城乡建设', place: place('鸠江区', '湾里街道') })).toBe('jiujiang');
    expect(dept('物业费从1.2元涨到1.8元', { category: '城乡建设' })).toBe('market');
    expect(dept('交房五年了房产证还办不下来', { category: '城乡建设' })).toBe('natural-resources');
    expect(dept('新房墙面开裂，开发商不维修', { category: '城乡建设' })).toBe('housing');
    expect(dept('公积金能不能用来加装电梯', { category: '城乡建设', requestType: '咨询' })).toBe('housing-fund');
    expect(dept('安置房迟迟不交付，过渡费拖欠', { category: '城乡建设', place: place('弋江区') })).toBe('yijiang');
  });

  it('劳动和社会保障', () => {
    expect(dept('工地老板拖欠工资三个月', { category: '劳动和社会保障' })).toBe('hrss');
    expect(dept('去要工资被老板的人推搡打伤', { category: '劳动和社会保障', requestType: '求助' })).toBe('police');
    expect(dept('医保关系从芜湖转到南京怎么办', { category: '劳动和社会保障', requestType: '咨询' })).toBe('medical-insurance');
    expect(dept('退休金怎么算', { category: '劳动和社会保障', requestType: '咨询' })).toBe('hrss');
    expect(dept('低保被取消了', { category: '劳动和社会保障', requestType: '求助' })).toBe('civil-affairs');
    expect(dept('想问一下这个怎么办', { category: '劳动和社会保障', requestType: '咨询' })).toBe('hrss');
  });

  it('教育文体, 商贸旅游, 卫生计生, 交通运输', () => {
    expect(dept('我们小区今年划到哪个学区', { category: '教育文体', requestType: '咨询' })).toBe('education');
    expect(dept('健身器材坏了', { category: '教育文体' })).toBe('sports');
    expect(dept('图书馆闭馆太早', { category: '教育文体', requestType: '建议' })).toBe('culture-tourism');
    expect(dept('培训机构跑路了，学费退不了', { category: '教育文体' })).toBe('education');
    expect(dept('健身房跑路，会员卡的钱退不了', { category: '商贸旅游' })).toBe('market');
    expect(dept('旅行社强制购物', { category: '商贸旅游' })).toBe('culture-tourism');
    expect(dept('消费券在哪领', { category: '商贸旅游', requestType: '咨询' })).toBe('commerce');
    expect(dept('快递显示签收但没收到', { category: '商贸旅游' })).toBe('postal');
    expect(dept('在外地住院，医保怎么报销', { category: '卫生计生', requestType: '咨询' })).toBe('medical-insurance');
    expect(dept('医院挂号排队一小时', { category: '卫生计生' })).toBe('health');
    expect(dept('九价HPV疫苗约不到', { category: '卫生计生', requestType: '咨询' })).toBe('health');
    expect(dept('餐馆后厨卫生很差，菜里有虫', { category: '卫生计生' })).toBe('market');
    expect(dept('红绿灯坏了，四个方向都不亮', { category: '交通运输', requestType: '求助' })).toBe('traffic-police');
    expect(dept('小区门口乱停车，人行道都停满了', { category: '交通运输' })).toBe('traffic-police');
    expect(dept('出租车拒载', { category: '交通运输' })).toBe('transport');
    expect(dept('网约车绕路', { category: '交通运输' })).toBe('transport');
    expect(dept('路面坑洼很多', { category: '交通运输' })).toBe('urban-mgmt');
    expect(dept('下穿通道一下雨就积水', { category: '交通运输' })).toBe('water');
  });

  it('matches the analysis keywords as well as the text', () => {
    expect(routeCase(input('那个东西又坏了', { keywords: ['路灯'] })).department).toBe('urban-mgmt');
  });
});

describe('routeCase: fallbacks', () => {
  it('goes to the district government of the place when no rule matches', () => {
    const r = routeCase(input('这件事情拖了很久了，希望领导重视', { category: '城乡建设', place: place('繁昌区', '繁阳镇') }));
    expect(r).toMatchObject({ department: 'fanchang', ruleId: 'fallback-district' });
    expect(r.confidence).toBeLessThan(0.5);
  });

  it('infers the district from the street and accepts district aliases', () => {
    expect(routeCase(input('希望领导重视', { category: null, place: place(null, '湾里街道') }))).toMatchObject({ department: 'jiujiang', ruleId: 'fallback-district' });
    expect(routeCase(input('希望领导重视', { category: null, place: place('镜湖', null) })).department).toBe('jinghu');
  });

  it('goes to the centre when the place is unknown', () => {
    const r = routeCase(input('希望领导重视', { category: '城乡建设', place: place(null) }));
    expect(r).toMatchObject({ department: 'centre', ruleId: 'fallback-centre' });
    // a 属地 rule cannot apply without a place either
    expect(routeCase(input('小区物业不管事', { category: '城乡建设', place: place(null) })).department).toBe('centre');
  });
});

describe('suggestions for 待派单', () => {
  const router = createRouter(loadRoutingTable(), loadDepartments(), loadGazetteer());

  it('lists distinct departments, best first, each with why in Chinese and without the rule id; never the centre', () => {
    const s = router.suggest(input('赭山路路灯不亮', { category: '城乡建设', keywords: ['路灯'] }));
    expect(s[0]).toMatchObject({ department: 'urban-mgmt', ruleId: 'streetlight' });
    expect(new Set(s.map((x) => x.department)).size).toBe(s.length);
    expect(s.length).toBeLessThanOrEqual(3);
    for (const x of s) {
      expect(x.reason).toMatch(/[\u4e00-\u9fff]/);
      expect(x.reason).not.toMatch(/规则 [a-z]/);
      expect(x.department).not.toBe('centre');
    }
    // the route itself is the first suggestion
    expect(s[0].department).toBe(router.route(input('赭山路路灯不亮', { category: '城乡建设', keywords: ['路灯'] })).department);
  });

  it('for a case no rule and no place can route, offers the departments of its category', () => {
    const unrouted = input('希望领导重视', { category: '城乡建设', place: place(null) });
    expect(router.route(unrouted).ruleId).toBe('fallback-centre');
    const s = router.suggest(unrouted);
    expect(s.length).toBeGreaterThan(0);
    expect(s.every((x) => x.reason.startsWith('同类诉求常由此办理'))).toBe(true);
    // nothing to go on: no suggestion rather than a guess
    expect(router.suggest(input('希望领导重视', { category: null, place: place(null) }))).toEqual([]);
  });
});
