// Text PostgreSQL can store. A UTF-8 database refuses U+0000 in text and jsonb (22021, 22P05), and
// jsonb refuses an escaped lone surrogate; Node would turn a lone surrogate into U+FFFD on the way
// out anyway. Every channel's input is cleaned here, once, where it enters (the incoming-message
// schema and the rejects writer), so no route has to remember it.

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without NUL, each lone surrogate replaced by U+FFFD (the replacement character). */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, (ch) => (ch === '\u0000' ? '' : '\uFFFD'));
}

/** True when the text would be changed by storableText. */
export function hasUnstorable(s: string): boolean {
  UNSTORABLE.lastIndex = 0;
  const found = UNSTORABLE.test(s);
  UNSTORABLE.lastIndex = 0;
  return found;
}

/** A JSON-able value with every string (keys too) made storable, for jsonb columns. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v) => storableJson(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[storableText(k)] = storableJson(v);
    return out as T;
  }
  return value;
}
