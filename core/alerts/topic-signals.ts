// The topic store (core/opinion) seen from the alert rules: each message's topic, its heat (0–100)
// and whether it is in a burst (突增; a topic that is only new is not).
import { listMessageTopics } from '../db/alerts';
import type { TopicSignals } from './evaluate';

export const topicStoreSignals: TopicSignals = async (sql, messageIds) => {
  const out = new Map<number, { topicId: number; label: string | null; heat: number | null; burst: boolean }>();
  // chunked: a broad rule may look at thousands of messages
  for (let i = 0; i < messageIds.length; i += 5000) {
    for (const r of await listMessageTopics(sql, messageIds.slice(i, i + 5000))) {
      out.set(r.messageId, { topicId: r.topicId, label: r.label || null, heat: r.heat, burst: r.burstState === 'burst' });
    }
  }
  return out;
};
