// Calls to the channel providers (WeChat, Weibo) with a time limit, and the one distinction the
// outbox needs: did the request certainly not deliver (safe to retry), or is the outcome unknown?

/** The provider certainly did not act on the request: retrying cannot double-send. */
export class NotDeliveredError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    /** the provider asked us to wait (rate limit) */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'NotDeliveredError';
  }
}

/** The request may or may not have been acted on (timeout after sending, reset, 5xx). */
export class OutcomeUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutcomeUnknownError';
  }
}

// failures that happen before a byte of the request reached the provider
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export interface ProviderResponse {
  status: number;
  json: unknown;
}

/** One HTTP call; JSON answer or a NotDelivered/OutcomeUnknown error saying which. */
export async function callProvider(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<ProviderResponse> {
  const { timeoutMs = 10_000, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const code = causeCode(err);
    if (code && CONNECT_CODES.has(code)) throw new NotDeliveredError(`cannot reach ${new URL(url).host}: ${code}`);
    throw new OutcomeUnknownError(`${new URL(url).host}: ${code ?? (err as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500) throw new OutcomeUnknownError(`${new URL(url).host} answered HTTP ${res.status}`);
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    if (res.status >= 400) throw new NotDeliveredError(`${new URL(url).host} answered HTTP ${res.status}`);
    throw new OutcomeUnknownError(`${new URL(url).host} answered HTTP ${res.status} with a body that is not JSON`);
  }
}
