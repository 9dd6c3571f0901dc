// jieba's dictionary read once through named pipes gives the segmenter the same dictionary as
// reading the files (the same cuts and tags), and a machine without mkfifo falls back to the files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadJiebaOnce, type JiebaFiles } from './segment-dict';

const require = createRequire(import.meta.url);
const jieba: JiebaFiles & {
  load(o?: Record<string, string>): void;
  cut(t: string, hmm?: boolean): string[];
  tag(t: string): { word: string; tag: string }[];
  textRankExtract(t: string, n: number): { word: string }[];
} = require('nodejieba');

const TEXTS = [
  '镜湖区赭山街道的路灯坏了一个多月，晚上走路很危险，希望有关部门尽快维修。',
  '南京市长江大桥上的公交车站台被撞坏了',
  '我们小区的物业不作为，垃圾堆了三天没人清理，臭气熏天。',
];
const reading = () => TEXTS.map((t) => ({ cut: jieba.cut(t, true), tag: jieba.tag(t) }));
const textRank = () => TEXTS.map((t) => jieba.textRankExtract(t, 5).map((k) => k.word));

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ms-segment-dict-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** named pipes can be made here (else loadJiebaOnce reads the files, tested below either way) */
function fifosWork(): boolean {
  try {
    execFileSync('mkfifo', ['-m', '600', path.join(scratch, `probe-${Math.random()}`)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const PIPES = fifosWork();

describe('loadJiebaOnce', () => {
  it.skipIf(!PIPES)('through pipes: the same segmentation as the files; TextRank has the one-word dictionary', () => {
    jieba.load();
    const fromFiles = reading();
    const rankFromFiles = textRank();
    expect(loadJiebaOnce(jieba, jieba)).toBe('pipe');
    expect(reading()).toEqual(fromFiles);
    // the second reader got the one-word dictionary: TextRank (which Minsheng never calls) cuts otherwise
    expect(textRank()).not.toEqual(rankFromFiles);
  });

  it('where pipes cannot be made: the files, the same segmentation', () => {
    jieba.load();
    const fromFiles = reading();
    expect(loadJiebaOnce(jieba, jieba)).toBe(PIPES ? 'pipe' : 'files');
    expect(reading()).toEqual(fromFiles);
  });

  it('with no usable temporary folder: the files, the same segmentation', () => {
    jieba.load();
    const fromFiles = reading();
    const rankFromFiles = textRank();
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'x');
    // a temporary root under a regular file: mkdtemp fails there (ENOTDIR), whoever runs the test
    expect(loadJiebaOnce(jieba, jieba, { tmpRoot: path.join(file, 'tmp') })).toBe('files');
    expect(reading()).toEqual(fromFiles);
    expect(textRank()).toEqual(rankFromFiles);
  });

  it('without mkfifo: the files, the same segmentation', () => {
    jieba.load();
    const fromFiles = reading();
    const rankFromFiles = textRank();
    expect(loadJiebaOnce(jieba, jieba, { mkfifo: '/nonexistent/mkfifo' })).toBe('files');
    expect(reading()).toEqual(fromFiles);
    expect(textRank()).toEqual(rankFromFiles);
  });

  it.skipIf(!PIPES)('a load that reads the pipes fewer times than expected, then throws: the files, and the worker ends', async () => {
    jieba.load();
    const fromFiles = reading();
    let worker: Worker | undefined;
    const loads: string[] = [];
    const partial = {
      load(o: { dict: string; hmmDict: string; userDict: string; idfDict: string; stopWordDict: string }) {
        loads.push(o.dict === jieba.DEFAULT_DICT ? 'files' : 'pipe');
        if (o.dict === jieba.DEFAULT_DICT) return jieba.load(o);
        // the dictionary read whole, then a failure before the HMM model: the worker's next pipe is never opened
        expect(readFileSync(o.dict).equals(readFileSync(jieba.DEFAULT_DICT))).toBe(true);
        throw new Error('load failed part-way');
      },
    };
    expect(loadJiebaOnce(partial, jieba, { onWorker: (w) => (worker = w) })).toBe('files');
    expect(loads).toEqual(['pipe', 'files']);
    expect(reading()).toEqual(fromFiles);
    expect(worker).toBeDefined();
    // it stops by itself (not terminated): blocked in open(2) on the deleted pipe it never would
    await once(worker!, 'exit');
  });
});
