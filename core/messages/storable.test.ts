import { describe, expect, it } from 'vitest';
import { hasUnstorable, storableJson, storableText } from './storable';

describe('storableText', () => {
  it('drops NUL and replaces lone surrogates, keeps pairs and ordinary text', () => {
    expect(storableText('坏了\u0000了')).toBe('坏了了');
    expect(storableText('a\uD800b')).toBe('a\uFFFDb');
    expect(storableText('a\uDC00b')).toBe('a\uFFFDb');
    expect(storableText('end\uD83D')).toBe('end\uFFFD');
    expect(storableText('😀 emoji 中文')).toBe('😀 emoji 中文');
    expect(hasUnstorable('ok')).toBe(false);
    expect(hasUnstorable('x\u0000')).toBe(true);
    expect(hasUnstorable('x\u0000')).toBe(true); // no lastIndex state leaks between calls
  });
  it('cleans keys and values of nested JSON', () => {
    expect(storableJson({ 'k\u0000': ['v\uD800', 1, null, { x: 'y\u0000' }] })).toEqual({ k: ['v\uFFFD', 1, null, { x: 'y' }] });
  });
});
