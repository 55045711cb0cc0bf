/**
 * Character error rate of OCR output against a reference: the Levenshtein distance (insertions,
 * deletions, substitutions) over the reference's length, in code points, whitespace ignored on
 * both sides (OCR drops the full-width space between 第一条 and its text; line breaks differ by
 * layout, not by reading).
 */
export function characterErrorRate(recognised: string, reference: string): number {
  const a = [...recognised.replace(/\s+/g, '')];
  const b = [...reference.replace(/\s+/g, '')];
  if (b.length === 0) return a.length === 0 ? 0 : 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]! / b.length;
}
