import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFormatError, parseCsv, parseCsvObjects, readCsvFile, readLabelledCsv, toCsv } from './csv';

const dir = mkdtempSync(path.join(tmpdir(), 'minsheng-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const f = path.join(dir, `f${n++}.csv`);
  writeFileSync(f, text);
  return f;
}

describe('parseCsv', () => {
  it('quoted fields hold commas, line breaks and doubled quotes', () => {
    expect(parseCsv('text,label\n"路灯坏了,很久没人修",infra\n"第一行\n第二行",other\n"他说""马上到""",x\n')).toEqual([
      ['text', 'label'],
      ['路灯坏了,很久没人修', 'infra'],
      ['第一行\n第二行', 'other'],
      ['他说"马上到"', 'x'],
    ]);
    // a CRLF inside quotes is kept as written
    expect(parseCsv('a\r\n"x\r\ny"\r\n')).toEqual([['a'], ['x\r\ny']]);
  });

  it('drops a UTF-8 BOM and accepts CRLF, LF and CR line ends, also mixed', () => {
    expect(parseCsv('\ufeffa,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6')).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
    // the BOM is not part of the first header name
    expect(readCsvFile(file('\ufefftext,label\r\n你好,x\r\n')).header).toEqual(['text', 'label']);
  });

  it('skips blank lines and keeps a stray quote inside an unquoted field as text', () => {
    expect(parseCsv('a,b\n\n1,2\n\r\n3,4\n\n')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(parseCsv('a,b\n12"寸,x\n')).toEqual([['a', 'b'], ['12"寸', 'x']]);
  });

  it('an empty file (or only a BOM, or only blank lines) has no rows', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\ufeff')).toEqual([]);
    expect(parseCsv('\n\r\n')).toEqual([]);
    expect(readCsvFile(file(''))).toEqual({ header: [], rows: [] });
    expect(parseCsvObjects('')).toEqual([]);
  });

  it('a ragged row is an error naming the source and the line (counting lines inside quoted fields)', () => {
    const short = () => parseCsv('a,b\n1,2\n3\n', 'in.csv');
    expect(short).toThrow(CsvFormatError);
    expect(short).toThrow(/^in\.csv, line 3: 1 fields where the first row has 2/);
    expect(() => parseCsv('a,b\n"x\ny",2\n3,4,5\n', 'in.csv')).toThrow(/^in\.csv, line 4: 3 fields where the first row has 2/);
    try {
      parseCsv('a,b\n1\n');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CsvFormatError);
      expect((err as CsvFormatError).line).toBe(2);
    }
    const f = file('text,label\n好,x\n坏\n');
    expect(() => readCsvFile(f)).toThrow(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 3: `));
  });

  it('an unclosed quote is an error, not a silently swallowed rest of the file', () => {
    expect(() => parseCsv('a,b\n"1,2\n3,4\n', 'in.csv')).toThrow(/^in\.csv, line \d+: a quoted field is not closed/);
  });
});

describe('readCsvFile / readLabelledCsv', () => {
  it('keys rows by the trimmed header', () => {
    expect(readCsvFile(file(' text , label\n路灯不亮,infra\n'))).toEqual({ header: ['text', 'label'], rows: [{ text: '路灯不亮', label: 'infra' }] });
  });

  it('reads two named columns and names a missing one', () => {
    const f = file('id,text,label\n1,噪音扰民,noise\n2,"井盖丢了,危险",infra\n');
    expect(readLabelledCsv(f, 'text', 'label')).toEqual({ texts: ['噪音扰民', '井盖丢了,危险'], labels: ['noise', 'infra'] });
    expect(() => readLabelledCsv(f, 'content', 'label')).toThrow(/no column "content" \(columns: id, text, label\)/);
  });
});

describe('toCsv', () => {
  it('quotes only what needs it and round-trips through parseCsv', () => {
    const rows = [
      { text: '路灯坏了,很久没人修', label: 'infra' },
      { text: '他说"马上到"', label: 'x' },
      { text: '第一行\n第二行', label: 'y' },
      { text: 'cr\ronly', label: null },
      { text: 42, label: undefined },
    ];
    const csv = toCsv(['text', 'label'], rows);
    expect(csv.split('\n')[0]).toBe('text,label');
    expect(csv).toContain('"路灯坏了,很久没人修",infra\n');
    expect(csv).toContain('"他说""马上到""",x\n');
    expect(csv).toContain('"cr\ronly",\n');
    expect(csv.endsWith('42,\n')).toBe(true);
    expect(parseCsvObjects(csv)).toEqual(rows.map((r) => ({ text: String(r.text), label: r.label == null ? '' : r.label })));
  });

  it('no rows is just the header line', () => {
    expect(toCsv(['text', 'label'], [])).toBe('text,label\n');
  });
});
