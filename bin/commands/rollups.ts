// `npm run cli -- rollups rebuild`: recounts every rollup (core/db/rollups.ts, and the topics' facet
// counts of migration 0116) from the raw rows —
// after a bulk load that bypassed the workers, or to check the incremental counts. Reads the
// service's database (DATABASE_URL, or the embedded one in DATA_DIR while the service is stopped).
import { getConfigOrExit } from '../../core/config';
import { rebuildRollups, rebuildTopicFacetHours } from '../../core/db/rollups';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../../core/runtime';
import { loadShippedOrExit } from '../../core/shipped/index';
import { parseCommandArgs, UsageError, withUsage } from '../../core/util/args';

const USAGE = 'usage: npm run cli -- rollups rebuild';

export const run = withUsage('rollups', USAGE, async (argv) => {
  const { values, positionals } = parseCommandArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const [what, ...extra] = positionals;
  if (what !== 'rebuild') throw new UsageError(what ? `unknown rollups action "${what}" (未知操作 "${what}"; 可用: rebuild)` : 'the action is missing (缺少操作: rebuild)');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (多余的参数 "${extra[0]}")`);
  const config = getConfigOrExit();
  const db = await openDatabase(config, createLogger({ level: 'warn', name: 'minsheng-rollups' }), { departments: loadShippedOrExit(config).departments });
  try {
    const started = performance.now();
    const r = await rebuildRollups(db.sql);
    // the topics' counts by channel and category (kept exact by a trigger; recounted here all the same)
    const topicMembers = await rebuildTopicFacetHours(db.sql);
    const ms = Math.round(performance.now() - started);
    console.error(`rollups: rebuilt from ${r.stored} stored messages (${r.messages} processed), ${r.cases} cases and ${topicMembers} topic members in ${ms} ms`);
    console.log(JSON.stringify({ ...r, topicMembers, ms }));
    return 0;
  } finally {
    await db.close();
  }
});
