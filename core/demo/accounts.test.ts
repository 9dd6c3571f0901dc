import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../messages/incoming';
import { loadDepartments } from '../cases/routing';
import { accountsFileSchema, loadAccounts } from './accounts';

describe('official accounts', () => {
  const accounts = loadAccounts();

  it('has accounts on every channel, owned by known departments', () => {
    // an Open311 client is known by its API key: the city has no account of its own there
    for (const c of CHANNELS.filter((ch) => ch !== 'open311')) expect(accounts.some((a) => a.channel === c), c).toBe(true);
    const codes = new Set(loadDepartments().map((d) => d.code));
    for (const a of accounts) expect(codes, a.name).toContain(a.department);
    const names = accounts.map((a) => a.name);
    for (const n of ['芜湖发布', '芜湖12345', '平安芜湖', '@芜湖发布', '@平安芜湖', '@芜湖交警', '12345']) expect(names).toContain(n);
  });

  it('rejects malformed handles and duplicates', () => {
    const bad = { city: '芜湖市', accounts: [{ ...accounts[0], handle: 'wuhu' }] };
    expect(accountsFileSchema.safeParse(bad).success).toBe(false);
    expect(accountsFileSchema.safeParse({ city: '芜湖市', accounts: [accounts[0], accounts[0]] }).success).toBe(false);
  });
});
