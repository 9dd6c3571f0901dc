// A first segmentation where no temporary folder can be made (TMPDIR read-only, full or missing)
// still loads Minsheng's user dictionary and stop words: jieba's dictionary comes from the files.
// A file of its own: the segmenter loads once per process, and this one must load under the bad TMPDIR.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isDictionaryWord, isStopWord, jiebaLoadMode, segment } from './segment';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'ms-segment-tmpdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('segment with no usable temporary folder', () => {
  it('loads from the files, with the user dictionary and the stop words, on the first call and after', () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'x');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = path.join(file, 'tmp'); // os.tmpdir() reads it on each call; mkdtemp fails there
    let first: string[];
    try {
      expect(os.tmpdir()).toBe(path.join(file, 'tmp'));
      first = segment('小区物业不作为，已经打了12345热线，网格员也来看过');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(jiebaLoadMode()).toBe('files');
    expect(first).toContain('12345热线'); // user-dictionary words
    expect(first).toContain('网格员');
    expect(isDictionaryWord('网格员')).toBe(true);
    const later = segment('我们的  公积金，怎么提取？网格员来过');
    expect(later).toContain('网格员');
    expect(later).not.toContain('的'); // stop words
    expect(isStopWord('的')).toBe(true);
  });
});
