// `npm run cli -- export labels --field category [--out FILE.csv]`: staff corrections as a CSV
// (text,label) for retraining or review. Reads the service's database (DATABASE_URL, or the
// embedded one in DATA_DIR while the service is stopped: PGlite opens its files in one process only).
import { writeFileSync } from 'node:fs';
import { getConfigOrExit } from '../../core/config';
import { LABEL_FIELDS, listTrainingLabels, type LabelField } from '../../core/db/training-labels';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';
import { toCsv } from '../../core/util/csv';

const USAGE = `usage: npm run cli -- export labels --field <${LABEL_FIELDS.join('|')}> [--out FILE.csv]`;

export const run = withUsage('export', USAGE, async (argv) => {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: { field: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const [what, ...extra] = positionals;
  if (what !== 'labels') throw new UsageError(what ? `unknown export "${what}" (未知的导出内容 "${what}")` : 'what to export is missing (缺少导出内容: labels)');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (多余的参数 "${extra[0]}")`);
  if (!values.field) throw new UsageError('--field is required (缺少 --field)');
  if (!(LABEL_FIELDS as readonly string[]).includes(values.field)) {
    throw new UsageError(`unknown field "${values.field}" (未知字段 "${values.field}")`);
  }
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-export' }), { departments: loadShippedOrExit(config).departments });
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
});
