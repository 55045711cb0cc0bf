/**
 * A document's title when its format states none: the first title-like line near the top
 * (关于……的通知, ……条例, ……办法), never a structure heading such as 第一章 总则 and never a
 * dateline, page number or document number.
 */

/** Lines read from the top; a title stands above the body, so it is among the first few. */
const LINES_READ = 15;
const MAX_TITLE_CHARS = 60;
/** Endings and openings of the names Chinese official documents and forms give themselves. */
const TITLE_WORDS =
  /(条例|办法|规定|规则|细则|准则|章程|方案|通知|意见|决定|纲要|报告|制度|批复|请示|函|纪要|规划|要点|计划|总结|决议|公告|通报|通告|登记表|审批表|处理单|一览表|统计表|报表|台账|流程图|题库|手册|指南|须知|说明书|需求书|问卷|汇报)$|^关于.{2,}的/u;
const STRUCTURE = /^(第[一二三四五六七八九十百千零〇两\d]+[编章节条款部分篇]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])/u;
/** Lines that are never titles: datelines, bylines, document numbers, page numbers, dates. */
const NOT_TITLE =
  /^(新华社|来源|发布|作者|记者|责任编辑|[—\-－\s\d]+$|.*〔\d{4}〕\d*号$|\d{4}\s*年.*日$|.*(文件|印发)$|测试)|[。！？；，：:!?;]$/u;

/**
 * The title-like line among the first lines of `text`, trimmed of a trailing date and byline
 * (`（2017年10月18日） 习近平`); undefined when none looks like a title. `headings` lines found by
 * the loader are preferred when they are title-like too.
 */
export function titleLine(text: string, headings: ReadonlyArray<{ start: number; text: string }> = []): string | undefined {
  const lines = text.split('\n', 200).map((l) => l.trim()).filter(Boolean).slice(0, LINES_READ);
  const cleaned = lines.map(cleanTitle);
  const at = cleaned.findIndex((l) => l !== undefined && TITLE_WORDS.test(l));
  if (at >= 0) {
    let title = cleaned[at]!;
    // A subtitle (——在……上的报告) follows the main title, which may span two lines above it.
    if (title.startsWith('——')) {
      const main: string[] = [];
      for (let i = at - 1; i >= Math.max(0, at - 2) && cleaned[i] !== undefined; i--) main.unshift(cleaned[i]!);
      title = main.join(' ') + title;
    }
    if ([...title].length <= MAX_TITLE_CHARS * 2) return title;
  }
  // No line names itself: the loader's first heading, unless it is a structure heading.
  // A heading the loader found may be short (a person's name, 吕志兴) and still be the title.
  const top = headings.find((h) => h.start < 2000 && !STRUCTURE.test(h.text) && [...h.text].length <= MAX_TITLE_CHARS);
  return top?.text;
}

const FORM_TITLE_LABEL = /^(?:公文|文件|来文|发文)?(?:标题|名称|题目)\s*[|｜:：]\s*/u;

function cleanTitle(line: string): string | undefined {
  const cut = line
    // A form's title cell (公文标题 | ……, 文件名称：……, as OFD and spreadsheet rows read): the value.
    .replace(FORM_TITLE_LABEL, '')
    // A date in brackets and whatever follows it (the speaker) close a speech's title.
    .replace(/\s*[（(]\s*\d{4}\s*年[^）)]*[）)].*$/u, '')
    .replace(/\s*——\s*/gu, '——')
    .replace(/\s+/gu, ' ')
    .trim();
  if ([...cut].length < 4 || [...cut].length > MAX_TITLE_CHARS) return undefined;
  if (STRUCTURE.test(cut) || NOT_TITLE.test(cut)) return undefined;
  return cut;
}

