// Labelled message files for `train` and `eval analyze`: either rows with their text (columns text
// and any of type, urgency, sentiment), or labels by message id only (columns id and any of type,
// urgency, sentiment), their texts read by id from a text file (`--texts`, columns id and text, or
// id, subject and detail, as the board's exports have). The second kind lets labels of the public
// datasets live in the repository without any of their text: lexicons/annotations/ holds such files.
import { readCsvFile } from '../../core/util/csv';

export interface LabelledRow {
  text: string;
  type?: string;
  urgency?: string;
  sentiment?: string;
  /** the file it came from (for --fit-on) */
  file: string;
}

export const LABEL_COLUMNS = ['type', 'urgency', 'sentiment'] as const;

/** id → text of the given files (columns id and text, or id, subject and detail). */
export function readTextsById(files: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files.split(',').map((x) => x.trim()).filter(Boolean)) {
    const { header, rows } = readCsvFile(f);
    const hasText = header.includes('text');
    if (!header.includes('id') || (!hasText && !(header.includes('subject') && header.includes('detail')))) {
      throw new Error(`${f}: --texts needs columns id and text (or id, subject and detail); it has ${header.join(', ')}`);
    }
    for (const r of rows) out.set(r.id.trim(), hasText ? r.text : `${r.subject ?? ''}${r.detail ?? ''}`);
  }
  return out;
}

/**
 * The rows of labelled files. A file without `textCol` but with `id` takes its texts from `texts`
 * (an id missing there is an error naming the file and the id). Cells are trimmed; an empty label
 * stays undefined.
 */
export function readLabelledFiles(files: string[], o: { textCol?: string; texts?: Map<string, string> } = {}): LabelledRow[] {
  const textCol = o.textCol ?? 'text';
  const out: LabelledRow[] = [];
  for (const f of files) {
    const { header, rows } = readCsvFile(f);
    if (!LABEL_COLUMNS.some((c) => header.includes(c))) throw new Error(`${f}: needs one of the columns ${LABEL_COLUMNS.join(', ')} (it has ${header.join(', ')})`);
    const byId = !header.includes(textCol);
    if (byId && !header.includes('id')) throw new Error(`${f}: needs a "${textCol}" column, or an "id" column with --texts naming the file that holds the texts`);
    if (byId && !o.texts) throw new Error(`${f} holds labels by id only: give --texts FILE.csv (columns id and text, or id, subject and detail)`);
    for (const r of rows) {
      let text: string;
      if (byId) {
        const id = r.id.trim();
        const t = o.texts!.get(id);
        if (t === undefined) throw new Error(`${f}: no text for id ${id} in the --texts files`);
        text = t;
      } else text = r[textCol] ?? '';
      const label = (c: (typeof LABEL_COLUMNS)[number]) => (header.includes(c) ? r[c]?.trim() || undefined : undefined);
      out.push({ text, type: label('type'), urgency: label('urgency'), sentiment: label('sentiment'), file: f });
    }
  }
  return out;
}
