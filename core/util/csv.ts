// RFC 4180 CSV: quoted fields, doubled quotes, CR/LF inside quotes, UTF-8 BOM.
import { readFileSync } from 'node:fs';

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field); field = '';
      rows.push(row); row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Rows as objects keyed by the header row. */
export function parseCsvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h.trim(), r[j] ?? ''])));
}

export function readCsvFile(file: string): { header: string[]; rows: Record<string, string>[] } {
  const text = readFileSync(file, 'utf8');
  const all = parseCsv(text);
  const header = (all[0] ?? []).map((h) => h.trim());
  return { header, rows: all.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? '']))) };
}

/** Reads two named columns, failing with a clear message when either is missing. */
export function readLabelledCsv(file: string, textCol: string, labelCol: string): { texts: string[]; labels: string[] } {
  const { header, rows } = readCsvFile(file);
  for (const col of [textCol, labelCol]) {
    if (!header.includes(col)) throw new Error(`${file}: no column "${col}" (columns: ${header.join(', ')})`);
  }
  return { texts: rows.map((r) => r[textCol]), labels: rows.map((r) => r[labelCol]) };
}

function csvField(v: unknown): string {
  const s = v == null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Record<string, unknown>[]): string {
  return [header.join(','), ...rows.map((r) => header.map((h) => csvField(r[h])).join(','))].join('\n') + '\n';
}
