// A kept report as it is served (HTML, PDF, JSON): its figures with each quoted message masked again
// by today's masking — a report kept before a masking fix must not go on showing what that fix
// catches (a name after 我是, an ID number with a wrong check digit…). Masking a masked text changes
// nothing, so a new report reads as it was made.
import { maskPublicText } from '../opinion/sample';
import type { ReportData } from './make-report';

export function reportForReaders(d: ReportData): ReportData {
  return { ...d, topTopics: (d.topTopics ?? []).map((t) => ({ ...t, sample: t.sample === null ? null : maskPublicText(t.sample) })) };
}
