import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { installPostgresCrashGuard, isPostgresNullSocketWrite } from './postgres-crash-guard';

const upstream = () => {
  const e = new TypeError("Cannot read properties of null (reading 'write')");
  e.stack = `TypeError: ${e.message}\n    at nextWrite (file:///srv/minsheng/node_modules/postgres/src/connection.js:255:22)\n    at process.processImmediate (node:internal/timers:483:21)`;
  return e;
};

describe('postgres.js crash guard', () => {
  it('recognises only the upstream null-socket write', () => {
    expect(isPostgresNullSocketWrite(upstream())).toBe(true);
    const cjs = upstream();
    cjs.stack = cjs.stack!.replace('postgres/src', 'postgres/cjs/src');
    expect(isPostgresNullSocketWrite(cjs)).toBe(true);
    const ours = new TypeError("Cannot read properties of null (reading 'write')");
    ours.stack = `TypeError: x\n    at handler (file:///srv/minsheng/workers/processors/messages.ts:10:1)`;
    expect(isPostgresNullSocketWrite(ours)).toBe(false);
    expect(isPostgresNullSocketWrite(new Error("Cannot read properties of null (reading 'write')"))).toBe(false);
  });

  it('keeps the process up for that error and exits for any other', () => {
    const exits: number[] = [];
    const remove = installPostgresCrashGuard(createLogger({ level: 'silent' }), (code) => exits.push(code));
    try {
      process.emit('uncaughtException', upstream(), 'uncaughtException');
      expect(exits).toEqual([]);
      process.emit('uncaughtException', new Error('something else'), 'uncaughtException');
      expect(exits).toEqual([1]);
    } finally {
      remove();
    }
  });
});
