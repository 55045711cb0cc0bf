import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { localDate, type QaRecord } from '../../src/chat/qa-log.ts';
import { formatQaReport, percentile, readQaLogs, summarizeQa } from '../../src/chat/qa-report.ts';

const DAY = 86_400_000;
const NOW = Date.now();

function rec(daysAgo: number, question: string, outcome: QaRecord['outcome'], ms: number, declined?: QaRecord['declined'], channel?: string): QaRecord {
  return {
    time: new Date(NOW - daysAgo * DAY).toISOString(),
    ...(channel ? { channel } : {}),
    room: null,
    asker: 'h',
    question,
    answer: '',
    refused: outcome === 'refused',
    outcome,
    mode: outcome === 'answered' || outcome === 'middle' || outcome === 'refused' ? 'extractive' : null,
    citations: [],
    ms,
    ...(declined ? { declined } : {}),
  };
}

async function writeLogs(dir: string, records: QaRecord[]): Promise<void> {
  const byFile = new Map<string, string>();
  for (const r of records) {
    const f = `qa-${localDate(Date.parse(r.time))}.jsonl`;
    byFile.set(f, (byFile.get(f) ?? '') + JSON.stringify(r) + '\n');
  }
  for (const [f, text] of byFile) await writeFile(path.join(dir, f), text);
}

const records = [
  rec(0, '什么是三会一课？', 'answered', 10),
  rec(0, '什么是三会一课', 'answered', 30, undefined, 'mp'),
  rec(0, '党费怎么交', 'answered', 20, undefined, 'wecom'),
  rec(0, '今天天气怎么样', 'refused', 5),
  rec(0, '敏感', 'blocked', 0),
  rec(0, '党费怎么交？', 'declined', 0, 'busy'),
  rec(0, '党费怎么交', 'declined', 0, 'rate', 'mp'),
  rec(1, '今天天气怎么样？', 'refused', 7),
  rec(1, '党费怎么交', 'error', 0),
  rec(9, '很久以前的问题', 'answered', 99),
];

test('percentiles use the nearest rank', () => {
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([5, 7, 10, 20, 30], 50), 10);
  assert.equal(percentile([5, 7, 10, 20, 30], 95), 30);
});

test('the report counts per day, ranks questions and lists corpus gaps', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeLogs(dir, records);
  await writeFile(path.join(dir, `qa-${localDate(NOW)}.jsonl`), '{torn line\n', { flag: 'a' });
  const read = await readQaLogs(dir, { days: 2, now: NOW });
  assert.equal(read.records.length, 9); // nine days ago is outside
  assert.equal(read.badLines, 1);
  const report = summarizeQa(read.records, { from: read.from, to: read.to });
  assert.deepEqual(report.days, [
    { date: localDate(NOW - DAY), questions: 2, answered: 0, middle: 0, refused: 1, blocked: 0, errors: 1, declined: 0, declinedBusy: 0, p50Ms: 7, p95Ms: 7 },
    // Declined questions count as asked, not in the answer times.
    { date: localDate(NOW), questions: 7, answered: 3, middle: 0, refused: 1, blocked: 1, errors: 0, declined: 2, declinedBusy: 1, p50Ms: 10, p95Ms: 30 },
  ]);
  assert.deepEqual(report.topQuestions, [
    { question: '党费怎么交', count: 4 },
    { question: '什么是三会一课？', count: 2 },
    { question: '今天天气怎么样？', count: 2 }, // shown as first seen (the older day)
    { question: '敏感', count: 1 },
  ]);
  assert.deepEqual(report.refusedQuestions, [{ question: '今天天气怎么样？', count: 2 }]);
  // Records from before channels count as the personal account's.
  assert.deepEqual(
    report.channels.map((c) => [c.channel, c.questions, c.answered, c.declined, c.p50Ms]),
    [['wechaty', 6, 1, 1, 7], ['wecom', 1, 1, 0, 20], ['mp', 2, 1, 1, 30]],
  );
  const text = formatQaReport(report);
  assert.ok(text.includes('## 按渠道\n个人微信（wechaty）  提问 6  已回答 1  未找到依据 2  拒答 1  出错 1  未受理 1  中位数 7 毫秒  95% 10 毫秒\n' +
    '企业微信（wecom）  提问 1  已回答 1  未找到依据 0  拒答 0  出错 0  未受理 0  中位数 20 毫秒  95% 20 毫秒\n' +
    '公众号（mp）  提问 2  已回答 1  未找到依据 0  拒答 0  出错 0  未受理 1  中位数 30 毫秒  95% 30 毫秒\n'), text);
  assert.ok(text.includes('出错 1，未受理 2（其中排队已满 1，其余为提问过快）；'), text);
  assert.ok(text.includes(`${localDate(NOW)}  提问 7  已回答 3  未找到依据 1  拒答 1  出错 0  未受理 2  中位数 10 毫秒  95% 30 毫秒`), text);
  assert.ok(text.includes('## 最常问的问题\n1. 党费怎么交（4 次）\n2. 什么是三会一课？（2 次）'));
  assert.ok(text.includes('## 未找到依据的问题（资料缺口，建议补充文件）\n1. 今天天气怎么样？（2 次）'));
});

test('middle answers are counted apart and listed as partial gaps; a report without any reads as before', () => {
  const day = localDate(NOW);
  const withMiddle = [
    rec(0, '收上来的材料一般多久要归档？', 'middle', 4),
    rec(0, '收上来的材料一般多久要归档', 'middle', 6, undefined, 'mp'),
    rec(0, '什么是三会一课？', 'answered', 10),
    rec(0, '今天天气怎么样', 'refused', 5),
  ];
  const report = summarizeQa(withMiddle, { from: day, to: day });
  assert.deepEqual([report.total.answered, report.total.middle, report.total.refused, report.total.p50Ms], [1, 2, 1, 5]);
  const text = formatQaReport(report);
  assert.ok(text.includes('提问 4 个：已回答 1，只找到相关规定 2，未找到依据 1，'), text);
  assert.ok(text.includes('个人微信（wechaty）  提问 3  已回答 1  只找到相关规定 1  未找到依据 1  '), text);
  assert.ok(text.includes(`${day}  提问 4  已回答 1  只找到相关规定 2  未找到依据 1  `), text);
  assert.ok(text.endsWith('## 只找到相关规定的问题（资料只涉及一部分，建议补充）\n1. 收上来的材料一般多久要归档？（2 次）'), text);
  const without = formatQaReport(summarizeQa(withMiddle.filter((r) => r.outcome !== 'middle'), { from: day, to: day }));
  assert.ok(!without.includes('只找到相关规定'), without);
});

test('npm run report -- --json prints the report alone on stdout', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-report-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeLogs(dir, records);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/report.ts', '--days', '1', '--json'], {
    env: { ...process.env, BOT_LOG_DIR: dir, LOG_FORMAT: 'json' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.total.questions, 7);
  assert.equal(report.total.declined, 2);
  assert.equal(report.total.declinedBusy, 1);
  assert.deepEqual(report.refusedQuestions, [{ question: '今天天气怎么样', count: 1 }]);
});
