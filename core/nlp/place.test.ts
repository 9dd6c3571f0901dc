import { describe, expect, it } from 'vitest';
import { extractPlace, setGazetteer } from './place';
import { segment } from './segment';
import { loadGazetteer } from '../places/gazetteer';

describe('place extraction (Wuhu gazetteer)', () => {
  it('reads district, street and community, keeping the address as written', () => {
    const r = extractPlace('镜湖区赭山街道赭山社区春江花园3栋楼道里有煤气味');
    expect(r).toMatchObject({ district: '镜湖区', street: '赭山街道', community: '赭山社区' });
    expect(r.address).toBe('镜湖区赭山街道赭山社区春江花园3栋');
    expect(r.confidence).toBeGreaterThan(0.8);
  });
  it('reads aliases', () => {
    expect(extractPlace('我住镜湖，门口路灯坏了').district).toBe('镜湖区');
    expect(extractPlace('鲁港这边停水了').street).toBe('澛港街道');
  });
  it('maps a landmark to its street and district', () => {
    const r = extractPlace('鸠兹广场的喷泉修好了');
    expect(r).toMatchObject({ district: '镜湖区', street: '弋矶山街道' });
  });
  it('maps a road to its street, with less confidence than a named district', () => {
    const road = extractPlace('赤铸山路有个井盖没了');
    expect(road.district).toBe('镜湖区');
    expect(road.street).toBe('荆山街道');
    expect(road.confidence).toBeLessThan(extractPlace('镜湖区有个井盖没了').confidence);
  });
  it('lowers confidence when the evidence points to several districts', () => {
    const shared = extractPlace('中江大道上有个坑'); // a road through more than one district
    expect(shared.candidates.length).toBeGreaterThan(1);
    expect(shared.confidence).toBeLessThan(0.7);
  });
  it('prefers the address field over places mentioned in passing', () => {
    const r = extractPlace('以前住在镜湖区，现在搬了', { address: '弋江区中南街道' });
    expect(r).toMatchObject({ district: '弋江区', street: '中南街道', address: '弋江区中南街道' });
  });
  it('returns an empty place with confidence 0 when none is named', () => {
    expect(extractPlace('请问公积金怎么提取')).toMatchObject({ district: null, street: null, community: null, address: null, confidence: 0 });
    expect(extractPlace('')).toMatchObject({ district: null, confidence: 0 });
  });
  it('registers gazetteer names so segmentation keeps them whole', () => {
    setGazetteer(loadGazetteer());
    expect(segment('花津南路附近噪音扰民')).toContain('花津南路');
  });

  it('reads places written in pinyin', () => {
    expect(extractPlace('家住 Yìjiāng Qū 中南街道，路灯坏了')).toMatchObject({ district: '弋江区', street: '中南街道' });
    expect(extractPlace('zhongnan jiedao 银湖花园门口')).toMatchObject({ district: '弋江区', street: '中南街道' });
    expect(extractPlace('zhongnan jiedao 银湖花园门口', { fuzzy: false }).district).toBeNull();
    expect(extractPlace('I live near the river and the lights are broken').district).toBeNull();
  });
  it('reads a name without its 社区/街道/镇 only in context', () => {
    expect(extractPlace('镜湖区赭山街道状元坊门口的路灯坏了')).toMatchObject({ street: '赭山街道', community: '状元坊社区' });
    expect(extractPlace('赭山街道状元坊一带有人占道经营').community).toBe('状元坊社区');
    expect(extractPlace('湾沚区花桥有人占道经营')).toMatchObject({ district: '湾沚区', street: '花桥镇' });
    expect(extractPlace('清水龙山社区垃圾没人清运')).toMatchObject({ district: '鸠江区', street: '清水街道', community: '龙山社区' });
    expect(extractPlace('状元坊门口的路灯坏了').district).toBeNull(); // no place around it
    expect(extractPlace('赭山街道状元坊路口').community).toBeNull(); // a road's name
    expect(extractPlace('弋江区龙湖街道北城花园小区停水').community).toBeNull(); // an estate, not 花园社区
  });
  it('takes a short core one character off only beside a place of another level in its district', () => {
    expect(extractPlace('我们农村的路灯坏了').district).toBeNull(); // not 新农村
    expect(extractPlace('通湖区有人占道经营').district).toBeNull(); // not 镜湖区
    expect(extractPlace('沈巷镇工人新村的物业撤场了').community).toBeNull(); // not 新桥村, even under its town
    expect(extractPlace('家住弋江区中男街道银湖花园').street).toBe('中南街道');
  });
});

