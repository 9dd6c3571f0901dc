// One shutdown routine per process: run the steps in order on SIGINT/SIGTERM, with a time limit.
import type { Logger } from './logger';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

export function installShutdown(logger: Logger, steps: ShutdownStep[], timeoutMs = 10_000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown took too long; exiting');
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
        } catch (err) {
          failed = true;
          logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      logger.info('stopped');
      process.exitCode = failed ? 1 : 0;
    })();
    return running;
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void shutdown().then(() => process.exit()));
  return shutdown;
}
