// Skipping regex scans that cannot match: the code units a pattern's match must open with, read
// from its source, against the units a text holds. Readers with many cue patterns (request type,
// urgency) scan only the patterns that can open somewhere in the text; the results are the same.

/** The UTF-16 code units a match of the pattern `src` must open with, read from its first atom in
 * each alternative (a literal character, a plain character class, or a group of those), or null
 * when the pattern opens otherwise (an escape, an anchor, a range, a negated class, an atom that
 * may be skipped by ?, * or {0,…}): such a pattern is always scanned. A cue none of whose opening
 * units occurs in the text cannot match it, so its scan is skipped — the scores are the same.
 * For patterns without the i (or u with case folding) flag: units are compared as written. */
export function openingUnits(src: string): number[] | null {
  const out = new Set<number>();
  return readAlternatives(src, out) ? [...out] : null;
}

const REGEX_SPECIAL = '\\^$.|?*+()[]{}';

/** The end (exclusive) of the atom opening at `i` of `s`, or -1 when it is not one read here. */
function atomEnd(s: string, i: number): number {
  const ch = s[i];
  if (ch === '[') {
    const j = s.indexOf(']', i + 1);
    return j < 0 ? -1 : j + 1;
  }
  if (ch === '(') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (s[j] === '[') { const k = s.indexOf(']', j + 1); if (k < 0) return -1; j = k; continue; }
      if (s[j] === '(') depth++;
      else if (s[j] === ')' && --depth === 0) return j + 1;
    }
    return -1;
  }
  return ch === undefined || REGEX_SPECIAL.includes(ch) ? -1 : i + 1;
}

/** `s` split at its top-level |, or null when it cannot be read. */
function topLevelAlternatives(s: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let j = 0; j < s.length; j++) {
    const ch = s[j];
    if (ch === '\\') { j++; continue; }
    if (ch === '[') { const k = s.indexOf(']', j + 1); if (k < 0) return null; j = k; continue; }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) { parts.push(s.slice(start, j)); start = j + 1; }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Adds the opening units of every alternative of `s` to `out`; false when one cannot be read. */
function readAlternatives(s: string, out: Set<number>): boolean {
  const parts = topLevelAlternatives(s);
  if (!parts) return false;
  for (const b of parts) {
    const end = atomEnd(b, 0);
    if (end < 0) return false; // also an empty alternative, which matches anywhere
    const q = b[end];
    if (q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(b.slice(end)))) return false;
    const atom = b.slice(0, end);
    if (atom[0] === '[') {
      const inner = atom.slice(1, -1);
      if (!inner || inner[0] === '^' || inner.includes('\\') || inner.includes('-')) return false;
      for (let k = 0; k < inner.length; k++) out.add(inner.charCodeAt(k));
    } else if (atom[0] === '(') {
      if (atom.startsWith('(?') && !atom.startsWith('(?:')) return false; // a look-around or a named group
      if (!readAlternatives(atom.slice(atom.startsWith('(?:') ? 3 : 1, -1), out)) return false;
    } else out.add(atom.charCodeAt(0));
  }
  return true;
}

/** Which UTF-16 code units the last marked text holds (a stamp per unit, so marking a new text
 * clears nothing). One instance per reader: marking is not re-entrant. */
export class UnitPresence {
  private readonly stamp = new Int32Array(65536);
  private generation = 0;

  /** Marks the units of text[from, to). */
  mark(text: string, from = 0, to = text.length): void {
    if (this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 0;
    }
    const g = ++this.generation;
    const stamp = this.stamp;
    for (let i = from; i < to; i++) stamp[text.charCodeAt(i)] = g;
  }

  /** Whether a pattern opening with one of `units` may match the marked text (null: always). */
  mayOpen(units: readonly number[] | null): boolean {
    if (units === null) return true;
    const g = this.generation;
    for (let i = 0; i < units.length; i++) if (this.stamp[units[i]] === g) return true;
    return false;
  }
}
