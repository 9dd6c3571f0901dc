// Migration 0117's trigger and backfill decide which cases' duplicate keys are read as open; its
// list of open statuses must be the service's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from './statuses';

describe('migration 0117 (case_dup_keys.open)', () => {
  it('names exactly the open statuses of core/cases/statuses.ts wherever it lists them', () => {
    const sql = readFileSync(new URL('../db/migrations/0117_case_dup_keys_open.sql', import.meta.url), 'utf8');
    const lists = [...sql.matchAll(/IN \(((?:'[a-z_]+'(?:, )?)+)\)/g)].map((m) => [...m[1].matchAll(/'([a-z_]+)'/g)].map((x) => x[1]).sort());
    expect(lists.length).toBe(3);
    for (const l of lists) expect(l).toEqual([...OPEN_STATUSES].sort());
  });
});
