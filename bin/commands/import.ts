// `npm run cli -- import hotline FILE.(csv|json)` and `npm run cli -- import messages FILE.csv --channel portal
// --text-col content [--title-col subject --id-col id --time-col created_at --name-col --phone-col --address-col]`.
// Progress goes to stderr, the summary (JSON) to stdout. It connects like the service does: to
// DATABASE_URL (and REDIS_URL) when set — run it beside the running service — or to the embedded
// database in DATA_DIR, which only one process may open: stop `npm start` first. Imported messages
// are queued; in embedded mode the service's message sweep picks them up when it next runs.
import { importRows, readHotlineFile, readMessagesCsv } from '../../core/channels/import';
import { getConfigOrExit } from '../../core/config';
import { createLogger } from '../../core/logger';
import { channelSchema } from '../../core/messages/incoming';
import { openDatabase, openQueue } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = `usage: import hotline FILE.(csv|json)
       import messages FILE.csv [--channel portal] [--text-col content] [--title-col C] [--id-col C] [--time-col C]
                                [--name-col C] [--phone-col C] [--address-col C]`;

export const run = withUsage('import', USAGE, async (argv) => {
  const { positionals, values } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      channel: { type: 'string' },
      'text-col': { type: 'string' },
      'title-col': { type: 'string' },
      'id-col': { type: 'string' },
      'time-col': { type: 'string' },
      'name-col': { type: 'string' },
      'phone-col': { type: 'string' },
      'address-col': { type: 'string' },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const [kind, file, ...extra] = positionals;
  if (kind !== 'hotline' && kind !== 'messages') {
    throw new UsageError(kind ? `unknown kind "${kind}" (未知的导入类型 "${kind}"; hotline | messages)` : 'what to import is missing (缺少导入类型: hotline | messages)');
  }
  if (!file) throw new UsageError('FILE is missing (缺少要导入的文件)');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (多余的参数 "${extra[0]}")`);
  if (kind === 'hotline' && values.channel !== undefined) throw new UsageError('--channel is for "import messages" only (--channel 只用于 import messages)');
  const channelArg = channelSchema.safeParse(values.channel ?? 'portal');
  if (!channelArg.success) throw new UsageError(`unknown channel "${values.channel}" (未知渠道; ${channelSchema.options.join(' | ')})`);
  const channel = kind === 'hotline' ? 'hotline' : channelArg.data;
  const rows =
    kind === 'hotline'
      ? readHotlineFile(file)
      : readMessagesCsv(file, {
          channel,
          textCol: values['text-col'],
          titleCol: values['title-col'],
          idCol: values['id-col'],
          timeCol: values['time-col'],
          nameCol: values['name-col'],
          phoneCol: values['phone-col'],
          addressCol: values['address-col'],
        });
  console.error(`import: ${rows.length} rows read from ${file}`);

  const config = getConfigOrExit();
  // the summary owns stdout: the logger stays quiet
  const logger = createLogger({ level: 'silent' });
  const db = await openDatabase(config, logger, { departments: loadShippedOrExit(config).departments });
  const queue = openQueue(config, logger);
  try {
    const summary = await importRows({ sql: db.sql, queue }, channel, rows, (done, total, ms) => {
      console.error(`import: ${done}/${total} rows (${Math.round((done / Math.max(ms, 1)) * 1000)} rows/s)`);
    });
    console.log(JSON.stringify(summary, null, 2));
    return 0;
  } finally {
    await queue.close();
    await db.close();
  }
});
