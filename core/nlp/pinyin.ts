// Pinyin for matching place names residents write in Latin letters (yijiang qu, Yìjiāng Qū,
// yi4 jiang1 qu1 for 弋江区). Hanzi → pinyin comes from pinyin-pro, a maintained library with a full
// character table and word-level readings of polyphonic characters, rather than a table we would
// write and keep ourselves for the gazetteer's few hundred characters.
import { pinyin } from 'pinyin-pro';

/** The toneless syllables of a hanzi string, ü written u (lü → lu), as a resident without tone
 * marks or a ü key types them. */
export function hanziSyllables(s: string): string[] {
  return pinyin(s, { toneType: 'none', type: 'array', v: true }).map((x) => x.toLowerCase().replace(/v/g, 'u'));
}

/** Latin text as pinyin to compare: lower case, tone marks and tone digits dropped, ü (or v) as u;
 * separators (spaces, apostrophes, hyphens) dropped. */
export function latinKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/v/g, 'u')
    .replace(/[^a-z]/g, '');
}

/** Runs of Latin words (letters with or without tone marks, tone digits, apostrophes) in a text,
 * split into words with their offsets. */
export function latinWords(text: string): { word: string; start: number; end: number }[][] {
  const runs: { word: string; start: number; end: number }[][] = [];
  let run: { word: string; start: number; end: number }[] = [];
  let last = -1;
  for (const m of text.matchAll(/[A-Za-z\u00c0-\u024f\u0300-\u036f][A-Za-z\u00c0-\u024f\u0300-\u036f1-5]*/g)) {
    const start = m.index!;
    // words of one run are separated by spaces, apostrophes or hyphens only
    if (run.length && !/^[\s'’-]*$/.test(text.slice(last, start))) {
      runs.push(run);
      run = [];
    }
    run.push({ word: m[0], start, end: start + m[0].length });
    last = start + m[0].length;
  }
  if (run.length) runs.push(run);
  return runs;
}
