import { describe, expect, it } from 'vitest';
import { districtOfStreet, gazetteerSchema, loadGazetteer } from './gazetteer';

describe('Wuhu gazetteer', () => {
  const g = loadGazetteer();

  it('has the seven real districts and counties', () => {
    expect(g.city).toBe('芜湖市');
    expect(g.districts.map((d) => d.name).sort()).toEqual(['南陵县', '弋江区', '无为市', '湾沚区', '繁昌区', '镜湖区', '鸠江区'].sort());
  });

  it('names well-known streets, roads and landmarks', () => {
    const jinghu = g.districts.find((d) => d.name === '镜湖区')!;
    for (const s of ['赭山街道', '范罗山街道', '天门山街道', '弋矶山街道', '汀棠街道', '方村街道', '荆山街道']) {
      expect(jinghu.streets.map((x) => x.name)).toContain(s);
    }
    const roads = new Set(g.districts.flatMap((d) => d.streets.flatMap((s) => s.roads)));
    for (const r of ['中山路', '北京路', '长江路', '赭山路', '中江大道', '银湖北路']) expect(roads).toContain(r);
    const marks = g.landmarks.map((l) => l.name);
    for (const m of ['方特欢乐世界', '鸠兹广场', '中山路步行街', '赭山公园', '芜湖站', '弋矶山医院']) expect(marks).toContain(m);
  });

  it('keeps community names unambiguous inside a district', () => {
    for (const d of g.districts) {
      const all = d.streets.flatMap((s) => s.communities);
      expect(new Set(all).size, d.name).toBe(all.length);
    }
  });

  it('rejects duplicates within a street and landmarks in unknown places', () => {
    const bad = structuredClone(g);
    bad.districts[0].streets[0].roads.push(bad.districts[0].streets[0].roads[0]);
    expect(gazetteerSchema.safeParse(bad).success).toBe(false);
    const bad2 = structuredClone(g);
    bad2.landmarks.push({ name: '不存在的地方', district: '镜湖区', street: '不存在街道' });
    expect(gazetteerSchema.safeParse(bad2).success).toBe(false);
  });

  it('finds the district of a street', () => {
    expect(districtOfStreet(g, '湾里街道')).toBe('鸠江区');
    expect(districtOfStreet(g, '不存在街道')).toBeNull();
  });
});
