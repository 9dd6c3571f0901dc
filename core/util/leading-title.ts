// A message's analysed text leads with its title ("标题。正文", core/nlp/analyze.ts), so a page that
// shows the title above the text would say it twice: this takes the title back off the text.
import { normalizeText } from '../nlp/normalize';

/** The text without its leading title (and the 。 that joined them); the text as it is when it does not start with the title. */
export function withoutLeadingTitle(title: string | null | undefined, text: string): string {
  const t = title?.trim();
  if (!t) return text;
  for (const head of new Set([t, normalizeText(t).text.trim()])) {
    if (!head || !text.startsWith(head)) continue;
    const rest = text.slice(head.length);
    // only a whole title joined by the analyser's 。 (or a line break): a title cut from the text itself stays
    const m = /^[。.．!！?？]?\s*/.exec(rest);
    if (rest === '' || (m && m[0].length > 0)) return rest.slice(m ? m[0].length : 0) || text;
  }
  return text;
}
