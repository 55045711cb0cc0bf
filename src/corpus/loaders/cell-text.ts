import { firstChar, isCjk, lastChar } from '../cjk.ts';

/**
 * The text of one spreadsheet cell as a reader sees it. Printed forms pad Chinese labels to
 * column width with runs of ASCII and full-width spaces and break them with `\r\n`
 * (`总      数`, `社     区\r\n（居委会）`, `组\r\n织\r\n处\r\n理`); those gaps are layout, not
 * words, so they are removed between Chinese characters. A single space that separates words
 * (`国贸 四`, `2019/2/3  14:30` after collapsing) is kept, except in a label spaced out one or two
 * characters at a time (`结 束 评 议 的 支 部`). Column headers are labels only, so every gap
 * between Chinese characters goes. Returns one line; '' for a whitespace-only cell.
 */
export function cellText(raw: string, options: { header?: boolean } = {}): string {
  const text = raw.replace(/\r\n?/g, '\n').replace(/[\t\u00A0\u3000 ]+/g, (run) => (run.includes('\u3000') ? '  ' : run));
  let out = text.replace(/\s+/g, (run, offset: number, whole: string) => {
    const before = whole[offset - 1];
    const after = whole[offset + run.length];
    if (before === undefined || after === undefined) return '';
    const layout = options.header || run.includes('\n') || run.length >= 2;
    return layout && isCjk(before) && isCjk(after) ? '' : ' ';
  });
  return squeezeSpacedOut(out.trim());
}

/**
 * A label spaced out a character at a time (`结 束 评 议 的 支 部`, `已建立联合党 支 部 的`,
 * `社 区`): with two or more gaps, a gap beside a one-character piece goes; with one gap, only
 * after a one-character first piece. `国贸 四` (a branch and its count) keeps its space.
 */
function squeezeSpacedOut(text: string): string {
  const pieces = text.split(' ');
  if (pieces.length < 2) return text;
  const core = (p: string) => [...p.replace(/[\p{P}\p{S}]/gu, '')].length;
  const joinable = (a: string, b: string) => (isCjk(a) || /\d/.test(a)) && (isCjk(b) || /\d/.test(b)) && (isCjk(a) || isCjk(b));
  let out = pieces[0]!;
  for (let k = 1; k < pieces.length; k++) {
    const prev = pieces[k - 1]!;
    const cur = pieces[k]!;
    const single = pieces.length > 2 ? core(prev) <= 1 || core(cur) <= 1 : core(prev) === 1;
    out += single && joinable(lastChar(prev), firstChar(cur)) ? cur : ` ${cur}`;
  }
  return out;
}
