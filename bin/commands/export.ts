// `npm run cli -- export labels --field category [--out FILE.csv]`: staff corrections as a CSV
// (text,label) for retraining or review. Reads the service's database (DATABASE_URL, or the
// embedded one in DATA_DIR while the service is stopped: PGlite opens its files in one process only).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { getConfigOrExit } from '../../core/config';
import { LABEL_FIELDS, listTrainingLabels, type LabelField } from '../../core/db/training-labels';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { toCsv } from '../../core/util/csv';

const USAGE = `usage: npm run cli -- export labels --field <${LABEL_FIELDS.join('|')}> [--out FILE.csv]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { field: { type: 'string' }, out: { type: 'string' } } });
  if (positionals[0] !== 'labels' || !values.field) {
    console.error(USAGE);
    return 2;
  }
  if (!(LABEL_FIELDS as readonly string[]).includes(values.field)) {
    console.error(`export: unknown field "${values.field}"; ${USAGE}`);
    return 2;
  }
  const db = await openDatabase(getConfigOrExit(), createLogger({ level: 'warn', name: 'minsheng-export' }));
  try {
    const rows = await listTrainingLabels(db.sql, values.field as LabelField);
    const csv = toCsv(['text', 'label'], rows);
    if (values.out) writeFileSync(values.out, csv);
    else process.stdout.write(csv);
    console.error(`export: ${rows.length} ${values.field} labels${values.out ? ` → ${values.out}` : ''}`);
    return 0;
  } finally {
    await db.close();
  }
}
