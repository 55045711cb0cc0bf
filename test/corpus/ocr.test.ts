import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { citationLocation } from '../../src/answer/answer-text.ts';
import { loadConfig } from '../../src/config.ts';
import { chunkDocument } from '../../src/corpus/chunk.ts';
import { loadDocument } from '../../src/corpus/load-document.ts';
import { paddleOcrReader, type OcrReader } from '../../src/corpus/ocr/ocr-reader.ts';
import { LoadError } from '../../src/errors.ts';
import { ingest } from '../../src/index/ingest.ts';
import { characterErrorRate } from '../../scripts/lib/character-error-rate.ts';
import { scanUnder } from '../../scripts/lib/scan-conditions.ts';
import { REAL_DOCS, realDoc, realDocsSkip } from '../helpers/real-docs.ts';

// Real PaddleOCR on every test here (seconds a page): one image each, kept few on purpose.
const OCR_DIR = path.join(import.meta.dirname, '..', 'fixtures', 'ocr');
const NOTICE = path.join(OCR_DIR, 'notice.png');
const SCAN = '党政机关公文处理工作条例_扫描页.jpg';

/** The real reader, counting the images it is handed. */
function countingReader(): OcrReader & { calls: number } {
  const real = paddleOcrReader();
  const counter = {
    calls: 0,
    readImage: (image: Uint8Array) => {
      counter.calls++;
      return real.readImage(image);
    },
  };
  return counter;
}

async function reference(name: string): Promise<string> {
  return readFile(path.join(OCR_DIR, name), 'utf8');
}

test('a real scanned page (jpg): under 5% character errors, chunked by 条, cited as 扫描件识别', { skip: realDocsSkip }, async () => {
  const doc = await loadDocument(realDoc(SCAN), REAL_DOCS);
  assert.equal(doc.format, 'image');
  assert.equal(doc.title, '党政机关公文处理工作条例');
  assert.deepEqual(doc.marks, [{ start: 0, page: 1, ocr: true }]);
  // The page number — 2 — is furniture, dropped by rule and counted.
  assert.ok((doc.dropped['page-number'] ?? 0) > 0);
  const cer = characterErrorRate(doc.text, await reference('党政机关公文处理工作条例_扫描页.txt'));
  assert.ok(cer < 0.05, `character error rate ${(cer * 100).toFixed(1)}%`);
  const passages = chunkDocument(doc);
  const cited = passages.filter((p) => p.loc.article).map((p) => citationLocation({ title: doc.title, heading: '', part: 1, parts: 1, loc: p.loc }));
  assert.deepEqual(cited, ['第一条', '第二条', '第三条', '第四条', '第五条', '第六条'].map((a) => `第一章 ${a}，第1页（扫描件识别）`));
  assert.ok(passages.every((p) => p.loc.ocr === true));
});

test('a generated notice (png, and the same picture as an image-only pdf): under 5% character errors, pages marked as OCR', async () => {
  const expected = await reference('notice.txt');
  const png = await readFile(NOTICE);
  const image = await loadDocument(NOTICE, OCR_DIR);
  assert.deepEqual(image.marks, [{ start: 0, page: 1, ocr: true }]);
  const imageCer = characterErrorRate(image.text, expected);
  assert.ok(imageCer < 0.05, `png: character error rate ${(imageCer * 100).toFixed(1)}%`);
  assert.deepEqual(chunkDocument(image).map((p) => p.loc.article).filter(Boolean), ['第一条', '第二条']);

  // Page 1 has a text layer, page 2 is only the scan (200 dpi: 72/200 pt a pixel).
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont('Helvetica');
  pdf.addPage([595, 842]).drawText('Page one has a text layer of more than twenty characters.', { x: 72, y: 760, size: 12, font });
  const picture = await pdf.embedPng(png);
  const { width, height } = picture.scale(72 / 200);
  pdf.addPage([595, 842]).drawImage(picture, { x: 0, y: 842 - height, width, height });
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-ocr-'));
  try {
    const file = path.join(dir, 'scan.pdf');
    await writeFile(file, await pdf.save());
    const ocrPages: Array<[number, number]> = [];
    const doc = await loadDocument(file, dir, { onOcrPage: (page, pages) => ocrPages.push([page, pages]) });
    // Only the scanned page is OCR'd, and reported for the progress bar as page 2 of 2.
    assert.deepEqual(ocrPages, [[2, 2]]);
    const second = doc.text.indexOf('关于');
    assert.ok(second > 0, doc.text);
    assert.deepEqual(doc.marks, [{ start: 0, page: 1 }, { start: second, page: 2, ocr: true }]);
    assert.equal(doc.text.slice(0, second).trim(), 'Page one has a text layer of more than twenty characters.');
    const pdfCer = characterErrorRate(doc.text.slice(second), expected);
    assert.ok(pdfCer < 0.05, `pdf: character error rate ${(pdfCer * 100).toFixed(1)}%`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged image is skipped with its reason; a blank one is reported, not indexed empty', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-ocr-bad-'));
  try {
    const png = await readFile(NOTICE);
    // Cut off after the header and the first chunk: a PNG no decoder can finish.
    await writeFile(path.join(dir, 'truncated.png'), png.subarray(0, 200));
    await writeFile(path.join(dir, 'not-a-photo.jpg'), '这不是图片');
    for (const name of ['truncated.png', 'not-a-photo.jpg']) {
      const err = await loadDocument(path.join(dir, name), dir).catch((e: unknown) => e);
      assert.ok(err instanceof LoadError, `${name}: ${String(err)}`);
      assert.equal(err.reason, 'corrupt image (cannot be decoded)', name);
    }
    const blank = path.join(dir, 'blank.png');
    await writeFile(blank, (await import('@napi-rs/canvas')).createCanvas(400, 300).toBuffer('image/png'));
    const empty = await loadDocument(blank, dir).catch((e: unknown) => e);
    assert.ok(empty instanceof LoadError);
    assert.equal(empty.reason, 'no text found (OCR read nothing in the image)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the notice under a red seal and as a 100-dpi fax: still under 5% character errors', async () => {
  const expected = await reference('notice.txt');
  const png = await readFile(NOTICE);
  const dir = await mkdtemp(path.join(tmpdir(), 'tongxin-ocr-conditions-'));
  try {
    for (const condition of ['seal', 'fax'] as const) {
      const file = path.join(dir, `${condition}.png`);
      const degraded = await scanUnder(condition, png);
      assert.notDeepEqual(Buffer.from(degraded), png);
      await writeFile(file, degraded);
      const doc = await loadDocument(file, dir);
      const cer = characterErrorRate(doc.text, expected);
      assert.ok(cer < 0.05, `${condition}: character error rate ${(cer * 100).toFixed(1)}%`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('OCR=off: an image is refused with its reason, and so is a scanned pdf', async () => {
  const err = await loadDocument(NOTICE, OCR_DIR, { ocr: null }).catch((e: unknown) => e);
  assert.ok(err instanceof LoadError);
  assert.equal(err.reason, 'image needs OCR, which is off (OCR=off)');
  const scanned = path.join(import.meta.dirname, '..', 'fixtures', 'docs', 'scanned.pdf');
  const pdfErr = await loadDocument(scanned, path.dirname(scanned), { ocr: null }).catch((e: unknown) => e);
  assert.ok(pdfErr instanceof LoadError);
  assert.equal(pdfErr.reason, 'no text layer (scanned pdf, and OCR=off)');
  assert.equal(loadConfig({ env: { OCR: 'off' }, dotenvDir: false }).ocr, 'off');
  assert.equal(loadConfig({ env: {}, dotenvDir: false }).ocr, 'auto');
  assert.throws(() => loadConfig({ env: { OCR: 'maybe' }, dotenvDir: false }), /OCR/);
});

test('re-ingesting an unchanged scan does not OCR it again; with OCR=off it is skipped with its reason', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'tongxin-ocr-ingest-'));
  try {
    const corpusDir = path.join(root, 'corpus');
    const indexDir = path.join(root, 'index');
    await mkdir(corpusDir);
    await copyFile(NOTICE, path.join(corpusDir, 'notice.png'));
    const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'none' }, dotenvDir: false });
    const ocr = countingReader();
    const first = await ingest({ corpusDir, indexDir, config, embedder: null, ocr });
    assert.equal(ocr.calls, 1);
    assert.equal(first.docs, 1);
    const again = await ingest({ corpusDir, indexDir, config, embedder: null, ocr });
    assert.equal(ocr.calls, 1);
    assert.equal(again.unchanged, 1);

    const off = loadConfig({ env: { EMBEDDING_PROVIDER: 'none', OCR: 'off' }, dotenvDir: false });
    const skipped = await ingest({ corpusDir, indexDir, config: off, embedder: null, rebuild: true });
    assert.deepEqual(skipped.skipped, [{ path: 'notice.png', reason: 'image needs OCR, which is off (OCR=off)' }]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
