// The city's official accounts per channel (lexicons/accounts.json): where residents write to.
import { z } from 'zod';
import { channelSchema } from '../messages/incoming';
import { readJsonFile, shippedJson } from '../shipped/store';

export const accountSchema = z.object({
  channel: channelSchema,
  name: z.string().min(2).max(100),
  /** WeChat original id (gh_…), Weibo uid, or a portal/hotline handle */
  handle: z.string().min(1),
  owner: z.string().min(2),
  /** department code of the owner, for staff to see who runs the account */
  department: z.string(),
  /** relative share of the channel's traffic, used by the demo generator */
  weight: z.number().positive(),
});
export type Account = z.infer<typeof accountSchema>;

export const accountsFileSchema = z.object({
  city: z.string(),
  note: z.string().optional(),
  accounts: z.array(accountSchema).min(1),
}).superRefine((f, ctx) => {
  const seen = new Set<string>();
  for (const a of f.accounts) {
    const key = `${a.channel}:${a.handle}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `duplicate account ${key}` });
    seen.add(key);
    if (a.channel === 'wechat' && !/^gh_[0-9a-f]{12}$/.test(a.handle)) ctx.addIssue({ code: 'custom', message: `${a.name}: WeChat handle must be a gh_ original id` });
    if (a.channel === 'weibo' && !/^\d+$/.test(a.handle)) ctx.addIssue({ code: 'custom', message: `${a.name}: Weibo handle must be a uid` });
  }
});

const shippedAccounts = shippedJson('accounts.json', accountsFileSchema);

/** lexicons/accounts.json (read once), or another file's. */
export function loadAccounts(file?: string): Account[] {
  return (file === undefined ? shippedAccounts() : readJsonFile(file, accountsFileSchema)).accounts;
}
