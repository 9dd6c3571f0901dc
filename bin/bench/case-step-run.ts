// `npx tsx bin/bench/case-step-run.ts [N] [--concurrency C] [--embedded] [--demo] [--topic]`: statements, round trips,
// queue calls and PostgreSQL CPU per case step (bin/bench/case-step.ts), on the PostgreSQL and Redis
// of DATABASE_URL and REDIS_URL (default the local ones) or on PGlite with the in-process runner;
// `--demo`: the demo generator's messages (duplicates among them: merges counted too); `--topic`: the
// 舆情 topic step (assignMessageToTopic) instead, each message's right after its case step (not
// counted), as the worker's job runs them.
// Prints one JSON object on its last line.
import { parseCommandArgs, UsageError } from '../../core/util/args';
import { measureCaseSteps } from './case-step';

const USAGE = 'usage: npx tsx bin/bench/case-step-run.ts [N] [--concurrency C] [--embedded] [--demo] [--topic]';

async function main(): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: process.argv.slice(2),
    options: { concurrency: { type: 'string' }, embedded: { type: 'boolean' }, demo: { type: 'boolean' }, topic: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const n = Number(positionals[0] ?? 300);
  const concurrency = Number(values.concurrency ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`N must be an integer from 1 to 100000 (N 须为 1 到 100000 的整数); ${USAGE}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be an integer from 1 to 64 (--concurrency 须为 1 到 64 的整数)`);
  if (values.topic && concurrency !== 1) throw new UsageError('--topic measures one message at a time (--topic 每次只测一条消息，不能与 --concurrency 同用)');
  const figures = await measureCaseSteps({ n, concurrency, embedded: values.embedded, demo: values.demo, topic: values.topic, log: (m) => process.stderr.write(`bench case-step: ${m}\n`) });
  console.log(JSON.stringify({ bench: 'case-step', ...figures }));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof UsageError ? err.message : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
