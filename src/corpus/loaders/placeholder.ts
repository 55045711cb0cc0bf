/**
 * Placeholder values in office templates: what a form shows to say "write here", never a fact.
 * Seen in the real templates (../shared/real-docs): sample people (张三), option lists (是/否,
 * 男\女), masked numbers (43xxxxxxxxxxxxx, 中共xxxx大学xx学部委员会, 某某省), blank dates
 * (×年×月×日, 年 月 日), the filler character 骥 of a Word form, and a cell that repeats its own
 * column header (会议议题 under 会议议题).
 */

// The stock names of Chinese sample rows; a row naming one describes a made-up person.
const SAMPLE_PERSON = /^(张三|李四|王五|赵六)$/;
const OPTION_LIST = /^(是[/\\、|]否|否[/\\、|]是|男[/\\、|]女|女[/\\、|]男|有[/\\、|]无)$/;
// Masked digits or names: two or more x/×/＊ in a row, or 某某.
const MASKED = /[xX×＊]{2,}|某某/;
const BLANK_DATE = /^[\s×xX_]*年[\s×xX_]*月([\s×xX_]*日)?$/;
const FILLER = /^骥+$/;

/** True when `value` is a template placeholder; `header` is its column's label, if any. */
export function isPlaceholder(value: string, header?: string): boolean {
  return (
    SAMPLE_PERSON.test(value) ||
    OPTION_LIST.test(value) ||
    MASKED.test(value) ||
    BLANK_DATE.test(value) ||
    FILLER.test(value) ||
    (header !== undefined && header !== '' && value === header)
  );
}

/** True when `value` is a stock sample name (张三 …): the whole row is a filled-in example. */
export function isSamplePerson(value: string): boolean {
  return SAMPLE_PERSON.test(value);
}
