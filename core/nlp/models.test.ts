import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelFileError, shippedModel } from './models';
import { loadTextClassifier } from './text-classifier';
import { loadUrgencyReader } from './urgency';

describe('shipped model files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-models-'));
  afterEach(() => vi.restoreAllMocks());

  it('fail loudly, naming the file, when missing or broken', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const missing = shippedModel(path.join(dir, 'nope.json'), loadTextClassifier);
    expect(() => missing.get()).toThrow(ModelFileError);
    expect(() => missing.get()).toThrow(/nope\.json: file is missing/);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"format":"minsheng/urgency-reader"');
    expect(() => shippedModel(broken, loadUrgencyReader).get()).toThrow(/broken\.json/);
    expect(errors).toHaveBeenCalledTimes(2); // logged once per file, however often it is used
    rmSync(dir, { recursive: true, force: true });
  });
  it('can be replaced, and then no file is read', () => {
    const m = shippedModel(path.join(dir, 'absent.json'), () => 'from file');
    m.set('in place');
    expect(m.get()).toBe('in place');
  });
});
