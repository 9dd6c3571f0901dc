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
});
