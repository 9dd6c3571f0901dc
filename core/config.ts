// The process's configuration: parsed once from the environment by one zod schema.
// Nothing else reads process.env; a bad value stops the process with the field named.
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const urlWithProtocols = (protocols: string[]) =>
  optionalString.refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL; when absent the embedded PGlite database under DATA_DIR is used */
  DATABASE_URL: urlWithProtocols(['postgres', 'postgresql']),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Redis for BullMQ; when absent jobs run on the in-process runner */
  REDIS_URL: urlWithProtocols(['redis', 'rediss']),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i, 'letters, digits, : _ - only').default('minsheng'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  DATA_DIR: z.string().min(1).default('./data'),
  /** the folder of shipped data (dictionary, gazetteer, routing, SLA policy, calendars, models…); default lexicons/ */
  LEXICON_DIR: optionalString,
  /** number of demo messages generated on first embedded start */
  DEMO_MESSAGES: z.coerce.number().int().min(0).max(100_000).default(800),
  /** secret for signing staff sessions; generated and kept in DATA_DIR when absent in embedded mode */
  AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters' }),
  /** token of the bootstrap administrator (created on first start when set) */
  ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  WECHAT_TOKEN: optionalString,
  WECHAT_ENCODING_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9]{43}$/.test(v), {
    message: 'must be the 43-character EncodingAESKey',
  }),
  WECHAT_APP_ID: optionalString,
  WECHAT_APP_SECRET: optionalString,
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  WEIBO_ACCESS_TOKEN: optionalString,
  WEIBO_API_BASE: z.string().url().default('https://api.weibo.com'),
  /** comma-separated Weibo uids of the city's official accounts to poll */
  WEIBO_ACCOUNTS: optionalString,
  HOTLINE_WEBHOOK_SECRET: optionalString,
  /** portal form submissions allowed per IP per minute */
  PORTAL_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** behind a reverse proxy: take the client IP from X-Forwarded-For / X-Real-IP (for the portal rate limit) */
  TRUST_PROXY: booleanFlag,
  CI_REQUIRE_SERVICES: booleanFlag,
  /** 舆情预警 e-mail: smtp(s)://user:pass@host:port (nodemailer's URL form) */
  SMTP_URL: urlWithProtocols(['smtp', 'smtps']),
  /** comma-separated addresses that get every alert (a rule may name its own) */
  ALERT_EMAIL_TO: optionalString,
  ALERT_EMAIL_FROM: optionalString,
  /** the webhook every alert is POSTed to (a rule may name its own); signed with ALERT_WEBHOOK_SECRET */
  ALERT_WEBHOOK_URL: urlWithProtocols(['http', 'https']),
  ALERT_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  /** SMS to hotline callers (tracking number + 查询码): the provider; unset = no SMS (短信未开通) */
  SMS_PROVIDER: z.enum(['aliyun', '']).optional().transform((v) => (v ? v : undefined)),
  SMS_ACCESS_KEY_ID: optionalString,
  SMS_ACCESS_KEY_SECRET: optionalString,
  /** the approved 短信签名 and 模板 (template variables: trackingNo, code) */
  SMS_SIGN_NAME: optionalString,
  SMS_TEMPLATE_CODE: optionalString,
  /** the Dysmsapi endpoint; tests point it at the fake server. The request carries the access key's
   * signature and the caller's phone number: https, except to this machine (loopback) */
  SMS_ENDPOINT: z
    .string()
    .url()
    .refine((v) => /^https:\/\//.test(v) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(v), {
      message: 'must be an https:// URL (http:// only to 127.0.0.1, localhost or [::1])',
    })
    .default('https://dysmsapi.aliyuncs.com'),
  /** a font with Chinese glyphs for the PDF reports (TTF/OTF/TTC); default the Debian fonts-wqy-microhei file */
  REPORT_FONT_PATH: optionalString,
}).superRefine((c, ctx) => {
  // a provider named without its keys would fail at the first SMS: stop at start-up instead, naming the field
  if (c.SMS_PROVIDER !== 'aliyun') return;
  for (const k of ['SMS_ACCESS_KEY_ID', 'SMS_ACCESS_KEY_SECRET', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_CODE'] as const) {
    if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when SMS_PROVIDER=aliyun' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(`invalid configuration: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })));
  }
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** Entry points call this first: prints the bad field and exits instead of starting half-configured. */
export function getConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const i of err.issues) console.error(`config error: ${i.field}: ${i.message}`);
      process.exit(78);
    }
    throw err;
  }
}
