// `npm run --silent bench -- <pipeline|dashboard|photos|dups|embedded> [options]`: the benchmarks of issue 13. Each prints
// progress on stderr and one JSON object on the last line of stdout. Wrong usage exits 2.
import { getConfigOrExit } from '../core/config';
import { useLexiconDir } from '../core/shipped/store';
import { describeArgsError, isParseArgsError, UsageError } from '../core/util/args';

const USAGE = 'usage: npm run --silent bench -- <pipeline|dashboard|photos|dups|embedded> [options] (--help for each)';
const [what, ...rest] = process.argv.slice(2);
const benches: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  pipeline: async () => (await import('./bench/pipeline')).runPipeline,
  dashboard: async () => (await import('./bench/dashboard')).runDashboard,
  photos: async () => (await import('./bench/photos')).runPhotos,
  dups: async () => (await import('./bench/dups')).runDups,
  embedded: async () => (await import('./bench/embedded')).runEmbedded,
};
if (!what || what === '--help' || what === '-h') {
  console.error(USAGE);
  process.exit(what ? 0 : 2);
}
if (!benches[what]) {
  console.error(`bench: unknown benchmark "${what}" (未知的基准测试 "${what}")\n${USAGE}`);
  process.exit(2);
}
const config = getConfigOrExit();
if (config.LEXICON_DIR) useLexiconDir(config.LEXICON_DIR);
try {
  process.exitCode = await (await benches[what]())(rest);
} catch (err) {
  if (err instanceof UsageError || isParseArgsError(err)) {
    console.error(`bench ${what}: ${err instanceof UsageError ? err.message : describeArgsError(err)}`);
    process.exitCode = 2;
  } else {
    console.error(`bench ${what}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
