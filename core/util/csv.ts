// CSV on csv-parse / csv-stringify (the maintained parsers of the `csv` project: RFC 4180 quoting,
// a streaming API when a file outgrows memory, and errors that name the line). This module keeps the
// project's small API over them so every caller reads and writes CSV the same way:
// - a UTF-8 BOM is dropped, CRLF, LF and CR line ends are all accepted, blank lines are skipped;
// - quoted fields may hold commas, line breaks and doubled quotes; a stray quote inside an unquoted
//   field is kept as text (exports from Weibo/WeChat tools often have them);
// - a row with more or fewer fields than the header is an error naming the file and the line.
import { readFileSync } from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** A malformed CSV: the message names the source (a file path when there is one) and the line. */
export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

function rethrowClearly(err: unknown, source: string): never {
  if (err instanceof CsvError) {
    const e = err as CsvError & { lines?: number; record?: unknown[]; index?: number };
    const line = typeof e.lines === 'number' ? e.lines : undefined;
    const where = line === undefined ? source : `${source}, line ${line}`;
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
      const got = Array.isArray(e.record) ? e.record.length : undefined;
      const expected = /expect(?:ed)? (\d+)/i.exec(e.message)?.[1];
      throw new CsvFormatError(
        `${where}: ${got ?? 'wrong number of'} fields where the first row has ${expected ?? 'a different number'} (第 ${line ?? '?'} 行的列数与首行不一致)`,
        line,
      );
    }
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CsvFormatError(`${where}: a quoted field is not closed before the end of the file (引号未闭合)`, line);
    }
    throw new CsvFormatError(`${where}: ${e.message}`, line);
  }
  throw err;
}

/** All rows as arrays of fields (the header, if any, is the first row). Every row must have as many fields as the first. */
export function parseCsv(text: string, source = 'CSV'): string[][] {
  try {
    return parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: false,
      // any of the three line ends, also mixed in one file (hand-edited files often are)
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
  } catch (err) {
    rethrowClearly(err, source);
  }
}

function toObjects(all: string[][]): { header: string[]; rows: Record<string, string>[] } {
  const header = (all[0] ?? []).map((h) => h.trim());
  return { header, rows: all.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? '']))) };
}

/** Rows as objects keyed by the (trimmed) header row. */
export function parseCsvObjects(text: string, source = 'CSV'): Record<string, string>[] {
  return toObjects(parseCsv(text, source)).rows;
}

/** A CSV file with a header row: the trimmed header and each row keyed by it. An empty file has no header and no rows. */
export function readCsvFile(file: string): { header: string[]; rows: Record<string, string>[] } {
  return toObjects(parseCsv(readFileSync(file, 'utf8'), file));
}

/** Reads two named columns, failing with a clear message when either is missing. */
export function readLabelledCsv(file: string, textCol: string, labelCol: string): { texts: string[]; labels: string[] } {
  const { header, rows } = readCsvFile(file);
  for (const col of [textCol, labelCol]) {
    if (!header.includes(col)) throw new Error(`${file}: no column "${col}" (columns: ${header.join(', ')})`);
  }
  return { texts: rows.map((r) => r[textCol]), labels: rows.map((r) => r[labelCol]) };
}

/** A header row and one line per object (missing or null values are empty fields), LF line ends, a final newline. */
export function toCsv(header: string[], rows: Record<string, unknown>[]): string {
  const cells = rows.map((r) => header.map((h) => (r[h] == null ? '' : String(r[h]))));
  // a lone CR is quoted too, or a reader splitting on CR would break the row
  return stringify([header, ...cells], { record_delimiter: '\n', quoted_match: /\r/ });
}
