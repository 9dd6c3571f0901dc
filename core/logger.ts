// Structured logs (pino, JSON lines) for every process.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'minsheng',
    level: opts.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // residents' phone numbers and tokens never reach the logs
    redact: { paths: ['req.headers.authorization', 'phone', 'contactPhone', '*.contactPhone', 'token'], censor: '[redacted]' },
  });
}
