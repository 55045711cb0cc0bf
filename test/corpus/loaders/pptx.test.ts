import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LoadError } from '../../../src/errors.ts';
import { loadDocument } from '../../../src/corpus/load-document.ts';
import { normalizeText } from '../../../src/corpus/normalize-text.ts';
import { REAL_DOCS, realDoc, realDocsSkip } from '../../helpers/real-docs.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'fixtures');
const fixture = (name: string) => join(ROOT, 'docs', name);

test('pptx (real): 14 slides in presentation order, titles as headings, chart read, pictures count for nothing', { skip: realDocsSkip }, async () => {
  const doc = await loadDocument(realDoc('组工平台阶段性汇报_2015-12.pptx'), REAL_DOCS);
  assert.equal(doc.format, 'pptx');
  assert.equal(doc.title, '北师大组织工作一体化平台');
  assert.equal(normalizeText(doc.text), doc.text);
  // Slide 13 is one screenshot: no text, so no mark of its own.
  assert.deepEqual(doc.marks.map((m) => m.slide), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]);
  const headingAt = (slide: number) => doc.headings.find((h) => h.start === doc.marks.find((m) => m.slide === slide)!.start)?.text;
  assert.deepEqual([1, 2, 3, 6, 11, 14].map(headingAt), ['北师大组织工作一体化平台', '完成功能模块', '系统元数据', '党建模块-入党申请流程管理', '待完成需求', '问题']);
  const slide = (n: number) => {
    const at = doc.marks.findIndex((m) => m.slide === n);
    return doc.text.slice(doc.marks[at]!.start, doc.marks[at + 1]?.start).trim();
  };
  assert.equal(slide(1), '北师大组织工作一体化平台\n\n项目阶段性汇报\n\n2015-12-10');
  // A top-level item and its nested ones stay together, one a line.
  assert.ok(slide(3).includes('元数据属性权限划分\n系统管理员\n组织部管理员\n干部管理员'));
  assert.equal(slide(12), '进度评估\n进度：需求覆盖 70；待完成需求 20；数据分析导入 10');
  // The two notes slides hold only their slide-number field (13, 14).
  assert.ok(!doc.text.includes('备注：'));
  assert.deepEqual(doc.dropped, { 'page-number': 4 });
  assert.equal(doc.text.length, 1317);
});

test('pptx (generated): order from sldIdLst not file names, nested bullets, group, table, SmartArt, notes marked 备注', async () => {
  const doc = await loadDocument(fixture('slides.pptx'), ROOT);
  assert.equal(doc.title, '在职党员到社区报到工作培训');
  assert.equal(
    doc.text,
    [
      '在职党员到社区报到',
      '',
      '某某街道党工委',
      '2024年5月',
      '',
      '报到流程',
      '',
      '持党员证明材料到社区报到',
      '在职党员证明',
      '由所在单位党组织开具',
      '',
      '填写登记表',
      '',
      '三十日内完成',
      '',
      '备注：讲解时强调：报到后一个月内完成登记。',
      '可举和平社区的例子。',
      '',
      '各支部报到人数',
      '',
      '支部 | 党员人数',
      '第一党支部 | 32',
      '',
      '申请报到',
      '社区审核',
      '分配岗位',
    ].join('\n'),
  );
  assert.deepEqual(doc.marks, [
    { start: 0, slide: 1 },
    { start: 28, slide: 2 },
    { start: 115, slide: 3 },
  ]);
  assert.deepEqual(doc.headings, [
    { start: 0, level: 1, text: '在职党员到社区报到' },
    { start: 28, level: 1, text: '报到流程' },
    { start: 115, level: 1, text: '各支部报到人数' },
  ]);
  // Slide 2's number field and its notes' number field.
  assert.deepEqual(doc.dropped, { 'page-number': 2 });
});

test('pptx refused with a one-line reason: damaged zip', async () => {
  const damaged = await loadDocument(fixture('damaged.pptx'), ROOT).catch((e: unknown) => e);
  assert.ok(damaged instanceof LoadError);
  assert.equal(damaged.reason, 'corrupt pptx (not a readable zip)');
});
