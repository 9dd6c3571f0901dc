// loadShipped reads and checks every shipped file; a broken copy is reported with its file and field.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LEXICON_DIR, loadShipped, ShippedFileError } from './index';

const made: string[] = [];
/** A copy of lexicons/ with one file changed. */
function brokenCopy(rel: string, change: (json: any) => unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-shipped-'));
  made.push(dir);
  cpSync(DEFAULT_LEXICON_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}seed`) });
  const file = path.join(dir, rel);
  const next = change(JSON.parse(readFileSync(file, 'utf8')));
  writeFileSync(file, typeof next === 'string' ? next : JSON.stringify(next));
  return dir;
}
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('loadShipped', () => {
  it('reads every shipped file of lexicons/ and builds the router from them', () => {
    const s = loadShipped();
    expect(s.dir).toBe(DEFAULT_LEXICON_DIR);
    expect(s.departments.length).toBeGreaterThan(10);
    expect(s.gazetteer.districts.length).toBe(7);
    expect(s.router.route({ category: null, requestType: null, keywords: [], text: '路灯不亮', place: { district: '镜湖区', street: null, community: null } }).department).toBeTruthy();
    expect(s.sla.calendar.years.length).toBeGreaterThan(0);
    expect(loadShipped()).toBe(s); // once per process
  });

  // each case reads a fresh folder (what is read is kept per folder)
  const cases: [string, string, (j: any) => unknown, RegExp][] = [
    ['a rule naming an unknown department', 'routing.json', (j) => ((j.rules[12].department = 'foo'), j), /routing\.json: rules\.12\.department: unknown department "foo"/],
    ['a rule naming an unknown district', 'routing.json', (j) => ((j.rules[3].districts = ['火星区']), j), /routing\.json: rules\.3\.districts\.0: unknown district "火星区"/],
    ['a street that is no street', 'places/wuhu.json', (j) => ((j.districts[0].streets[0].name = '赭山'), j), /places\/wuhu\.json: districts\.0\.streets\.0\.name: /],
    ['a duplicate district', 'places/wuhu.json', (j) => ((j.districts[1].name = j.districts[0].name), j), /places\/wuhu\.json: .*duplicate district 镜湖区/],
    ['an SLA field of the wrong type', 'sla-policy.json', (j) => ((j.reminderFraction = 'half'), j), /sla-policy\.json: reminderFraction: /],
    ['an account of an unknown department', 'accounts.json', (j) => ((j.accounts[0].department = 'nobody'), j), /accounts\.json: accounts\.0\.department: unknown department "nobody"/],
    ['a cue file that is not JSON', 'urgency.json', () => '{"hazards": [', /urgency\.json: not valid JSON/],
    ['a threshold out of range', 'nlp-thresholds.json', (j) => ((j.category = 7), j), /nlp-thresholds\.json: category: /],
    ['a broken sentiment rules file', 'sentiment/rules.json', (j) => ((j.neutralBand = -1), j), /sentiment\/rules\.json: neutralBand: /],
    ['a calendar year that is no year', 'calendar/2025.json', (j) => ((j.year = 'twenty'), j), /calendar[/\\]2025\.json: year: /],
  ];
  for (const [what, rel, change, message] of cases) {
    it(`stops on ${what}, naming the file and the field`, () => {
      const dir = brokenCopy(rel, change);
      expect(() => loadShipped({ dir })).toThrow(message);
    });
  }

  it('stops on a broken model file, naming it', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const dir = brokenCopy('models/urgency.json', (j) => ((j.threshold = 'high'), j));
    expect(() => loadShipped({ dir })).toThrow(/models[/\\]urgency\.json: threshold: /);
  });

  it('names a missing file', () => {
    const dir = brokenCopy('duplicate-topics.json', (j) => j);
    rmSync(path.join(dir, 'duplicate-topics.json'));
    let err: unknown;
    try {
      loadShipped({ dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ShippedFileError);
    expect((err as Error).message).toMatch(/duplicate-topics\.json: file is missing/);
  });
});

describe('a folder that does not load', () => {
  it('is not used: the shipped files are read from the folder before', () => {
    const dir = brokenCopy('routing.json', (j) => ((j.rules[0].department = 'nowhere'), j));
    expect(() => loadShipped({ dir })).toThrow(/rules\.0\.department/);
    expect(loadShipped().dir).toBe(DEFAULT_LEXICON_DIR);
    expect(loadShipped().routing.rules[0].department).not.toBe('nowhere');
  });
});
