// "Did you mean": when a cause is a name that does not exist (a StorageClass, a ConfigMap key,
// a label value, a port name), the closest existing name usually is the fix. Typos are what
// people make: a swapped pair of letters, one letter missing or extra, a case slip, `-` for `_`.

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) rows.push([i, ...new Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/** Separators people mix up count as the same: `my_db` for `my-db`, `tls.crt` for `tls-crt`. */
const fold = (name: string): string => name.toLowerCase().replace(/[-_.]/g, '-');

/**
 * The candidate closest to `wanted`, when it is close enough to be a slip rather than another
 * name: at most a third of the name's length in edits (at least 1, at most 3), or one name
 * being the other with a prefix or suffix (`postgres` for `postgresql`). Ties go to the first
 * candidate, so callers pass them in a meaningful order. Undefined when nothing is close.
 */
export function nearestName(wanted: string, candidates: Iterable<string>): string | undefined {
  const w = fold(wanted);
  let best: { name: string; score: number } | undefined;
  for (const name of candidates) {
    if (name === wanted) continue;
    const c = fold(name);
    const distance = c === w ? 0 : editDistance(w, c);
    const shorter = Math.min(w.length, c.length);
    const limit = shorter < 3 ? 0 : Math.min(3, Math.max(1, Math.floor(shorter / 3)));
    const affix =
      w.length >= 4 && c.length >= 4 && (c.startsWith(w) || w.startsWith(c) || c.endsWith(w) || w.endsWith(c));
    const score = distance <= limit ? distance : affix ? limit + 0.5 : Infinity;
    if (score !== Infinity && (!best || score < best.score)) best = { name, score };
  }
  return best?.name;
}
