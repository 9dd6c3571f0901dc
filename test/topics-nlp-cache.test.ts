// The eval's NLP cache (--nlp-cache): a second replay of the same file reads the cached readings,
// which are the readings analyzeMessage gives. Invented messages only.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../core/nlp/analyze';
import { analysisCache, readReplayFile } from '../core/opinion/replay';

describe('eval topics NLP cache', () => {
  it('reads each row once, then from the cache, with the same readings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'topics-nlp-'));
    const file = path.join(dir, 'm.csv');
    writeFileSync(file, 'message_id,subject,detail,created_at,likes,dislikes\n1,青柳湾小区停水,青柳湾小区停水两天了,2020-01-01 08:00:00,0,0\n2,柳岸路路灯不亮,柳岸路路灯坏了,2020-01-02 08:00:00,3,0\n');
    const rows = readReplayFile(file);
    const first = analysisCache(dir, file);
    const a = rows.map((r) => first.analyze(r));
    expect(first.save()).toMatchObject({ hits: 0, misses: 2 });
    const second = analysisCache(dir, file);
    const b = rows.map((r) => second.analyze(r));
    expect(second.save()).toMatchObject({ hits: 2, misses: 0 });
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
    expect(JSON.parse(JSON.stringify(b[0]))).toEqual(JSON.parse(JSON.stringify(analyzeMessage(rows[0].detail, { title: rows[0].subject }))));
    // another file: another cache
    writeFileSync(file, 'message_id,subject,detail,created_at,likes,dislikes\n1,青柳湾小区停电,青柳湾小区停电,2020-01-01 08:00:00,0,0\n');
    const third = analysisCache(dir, file);
    third.analyze(readReplayFile(file)[0]);
    expect(third.save().misses).toBe(1);
  });
});
