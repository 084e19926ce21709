/**
 * Whether `text` matches `pattern` as a whole, where `*` matches any run of
 * characters (newlines included) and everything else matches itself. Done
 * without regular expressions: the greedy two-pointer walk takes at most
 * O(pattern × text) steps, whatever the pattern.
 */
export function wildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
