import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { localDate, type QaRecord } from './qa-log.ts';

export interface DaySummary {
  date: string;
  questions: number;
  answered: number;
  /** Middle answers: the documents cover the question only in part, the nearest rule was quoted. */
  middle: number;
  /** Refused by the core: nothing in the corpus answers them. */
  refused: number;
  blocked: number;
  errors: number;
  /** Not put to the core: the asker's cooldown pause, or a full queue … */
  declined: number;
  /** … of which a full queue: more than the bot can take at its pace (BOT_QUEUE_SIZE). */
  declinedBusy: number;
  /** Answer times of questions the core handled; null when there were none. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface QaReport {
  from: string;
  to: string;
  days: DaySummary[];
  total: Omit<DaySummary, 'date'>;
  /** The same counts per channel the questions came from, in CHANNEL_ORDER then by name. */
  channels: Array<{ channel: string } & Omit<DaySummary, 'date'>>;
  topQuestions: Array<{ question: string; count: number }>;
  /** Corpus gaps: what residents asked that the documents do not answer. */
  refusedQuestions: Array<{ question: string; count: number }>;
  /** Partial gaps: what the documents answer only in part (middle answers). */
  middleQuestions: Array<{ question: string; count: number }>;
}

/** Reads `qa-YYYY-MM-DD.jsonl` files of the last `days` days (today included). Bad lines are counted, not fatal. */
export async function readQaLogs(
  dir: string,
  options: { days: number; now: number },
): Promise<{ records: QaRecord[]; badLines: number; from: string; to: string }> {
  const to = localDate(options.now);
  const from = localDate(options.now - (options.days - 1) * 86_400_000);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], badLines: 0, from, to };
    throw err;
  }
  const files = names
    .map((n) => /^qa-(\d{4}-\d{2}-\d{2})\.jsonl$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && m[1]! >= from && m[1]! <= to)
    .sort((a, b) => a[1]!.localeCompare(b[1]!));
  const records: QaRecord[] = [];
  let badLines = 0;
  for (const m of files) {
    const text = await readFile(path.join(dir, m[0]), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as QaRecord);
      } catch {
        badLines += 1; // a torn last line after a crash; reported by the caller
      }
    }
  }
  return { records, badLines, from, to };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Records written before channels existed all came from the personal WeChat account. */
export function channelOf(r: QaRecord): string {
  return r.channel ?? 'wechaty';
}

const CHANNEL_ORDER = ['wechaty', 'wecom', 'mp'];
const CHANNEL_LABELS: Record<string, string> = { wechaty: '个人微信', wecom: '企业微信', mp: '公众号' };

/** Questions count as the same when they differ only in spaces, punctuation or width. */
export function questionKey(q: string): string {
  return q.normalize('NFKC').replace(/[\p{P}\p{S}\s]/gu, '').toLowerCase();
}

export function summarizeQa(records: QaRecord[], options: { from: string; to: string; top?: number }): QaReport {
  const top = options.top ?? 10;
  const byDay = new Map<string, QaRecord[]>();
  for (const r of records) {
    const day = localDate(Date.parse(r.time));
    byDay.set(day, [...(byDay.get(day) ?? []), r]);
  }
  const summarize = (rs: QaRecord[]): Omit<DaySummary, 'date'> => {
    const times = rs.filter((r) => r.outcome === 'answered' || r.outcome === 'middle' || r.outcome === 'refused').map((r) => r.ms).sort((a, b) => a - b);
    return {
      questions: rs.length,
      answered: rs.filter((r) => r.outcome === 'answered').length,
      middle: rs.filter((r) => r.outcome === 'middle').length,
      refused: rs.filter((r) => r.outcome === 'refused').length,
      blocked: rs.filter((r) => r.outcome === 'blocked').length,
      errors: rs.filter((r) => r.outcome === 'error').length,
      declined: rs.filter((r) => r.outcome === 'declined').length,
      declinedBusy: rs.filter((r) => r.outcome === 'declined' && r.declined === 'busy').length,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
    };
  };
  const ranked = (rs: QaRecord[]) => {
    const counts = new Map<string, { question: string; count: number }>();
    for (const r of rs) {
      const key = questionKey(r.question);
      if (!key) continue;
      const entry = counts.get(key) ?? { question: r.question.trim(), count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.question.localeCompare(b.question)).slice(0, top);
  };
  return {
    from: options.from,
    to: options.to,
    days: [...byDay.keys()].sort().map((date) => ({ date, ...summarize(byDay.get(date)!) })),
    total: summarize(records),
    channels: [...new Set(records.map(channelOf))]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((channel) => ({ channel, ...summarize(records.filter((r) => channelOf(r) === channel)) })),
    topQuestions: ranked(records),
    refusedQuestions: ranked(records.filter((r) => r.outcome === 'refused')),
    middleQuestions: ranked(records.filter((r) => r.outcome === 'middle')),
  };
}

/** The report for staff, in Chinese. */
export function formatQaReport(report: QaReport): string {
  const ms = (v: number | null) => (v === null ? '—' : `${v} 毫秒`);
  const lines = [`同心问答报告（${report.from} 至 ${report.to}）`, ''];
  const t = report.total;
  // Shown only in reports that hold middle answers, so reports of older logs read as before.
  const mid = (n: number, sep: string) => (t.middle ? `${sep}只找到相关规定 ${n}` : '');
  lines.push('## 总计');
  lines.push(
    `提问 ${t.questions} 个：已回答 ${t.answered}${mid(t.middle, '，')}，未找到依据 ${t.refused}，敏感词拒答 ${t.blocked}，出错 ${t.errors}，` +
      `未受理 ${t.declined}（其中排队已满 ${t.declinedBusy}，其余为提问过快）；` +
      `回答用时 中位数 ${ms(t.p50Ms)}，95% ${ms(t.p95Ms)}`,
  );
  lines.push('', '## 按渠道');
  if (report.channels.length === 0) lines.push('（这段时间没有记录）');
  for (const c of report.channels) {
    lines.push(
      `${CHANNEL_LABELS[c.channel] ?? c.channel}（${c.channel}）  提问 ${c.questions}  已回答 ${c.answered}${mid(c.middle, '  ')}  未找到依据 ${c.refused}  ` +
        `拒答 ${c.blocked}  出错 ${c.errors}  未受理 ${c.declined}  中位数 ${ms(c.p50Ms)}  95% ${ms(c.p95Ms)}`,
    );
  }
  lines.push('', '## 每日');
  if (report.days.length === 0) lines.push('（这段时间没有记录）');
  for (const d of report.days) {
    lines.push(
      `${d.date}  提问 ${d.questions}  已回答 ${d.answered}${mid(d.middle, '  ')}  未找到依据 ${d.refused}  拒答 ${d.blocked}  出错 ${d.errors}  ` +
        `未受理 ${d.declined}  ` +
        `中位数 ${ms(d.p50Ms)}  95% ${ms(d.p95Ms)}`,
    );
  }
  lines.push('', '## 最常问的问题');
  if (report.topQuestions.length === 0) lines.push('（无）');
  report.topQuestions.forEach((q, i) => lines.push(`${i + 1}. ${q.question}（${q.count} 次）`));
  lines.push('', '## 未找到依据的问题（资料缺口，建议补充文件）');
  if (report.refusedQuestions.length === 0) lines.push('（无）');
  report.refusedQuestions.forEach((q, i) => lines.push(`${i + 1}. ${q.question}（${q.count} 次）`));
  if (report.middleQuestions.length) {
    lines.push('', '## 只找到相关规定的问题（资料只涉及一部分，建议补充）');
    report.middleQuestions.forEach((q, i) => lines.push(`${i + 1}. ${q.question}（${q.count} 次）`));
  }
  return lines.join('\n');
}

function rank(channel: string): number {
  const i = CHANNEL_ORDER.indexOf(channel);
  return i < 0 ? CHANNEL_ORDER.length : i;
}
