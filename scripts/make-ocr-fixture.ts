/**
 * Writes the generated OCR fixture (`npx tsx scripts/make-ocr-fixture.ts`): a short invented
 * notice drawn with @napi-rs/canvas in Noto Sans CJK SC at about 200 dpi, as
 * test/fixtures/ocr/notice.png, and its text as notice.txt, the reference the OCR test scores
 * against. A CJK font cannot be relied on in CI, so tests read the committed PNG; this only runs
 * when the fixture changes (it needs fonts-noto-cjk: /usr/share/fonts/opentype/noto).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'ocr');
const FONT = process.env.CJK_FONT ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

// Invented for tests; 第一条/第二条 so the chunker's article rules are exercised on OCR'd text.
const TITLE = '关于开展社区党员志愿服务的通知';
const LINES = [
  '第一条　各党支部应当于每月第一个星期六组织党员',
  '到社区开展志愿服务，时间不少于两小时。',
  '第二条　志愿服务情况由支部书记登记，每季度报送',
  '街道党工委。',
];

async function main(): Promise<void> {
  if (!GlobalFonts.registerFromPath(FONT, 'NoticeCJK')) throw new Error(`make-ocr-fixture: cannot load the CJK font ${FONT} (set CJK_FONT)`);
  // Half an A4 page at 200 dpi (1654 px wide); 三号 (16 pt) body text is 44 px at 200 dpi.
  const width = 1654;
  const size = 44;
  const left = 150;
  const canvas = createCanvas(width, 700);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.textBaseline = 'top';
  ctx.font = `${size + 12}px NoticeCJK`;
  ctx.fillText(TITLE, (width - ctx.measureText(TITLE).width) / 2, 100);
  ctx.font = `${size}px NoticeCJK`;
  LINES.forEach((line, i) => {
    // Articles start two ems in, as 公文 set them; their wrapped lines start at the margin.
    const x = line.startsWith('第') ? left + 2 * size : left;
    ctx.fillText(line, x, 240 + i * size * 1.9);
  });
  await writeFile(join(OUT, 'notice.png'), canvas.toBuffer('image/png'));
  const paragraphs = [TITLE, LINES[0]! + LINES[1]!, LINES[2]! + LINES[3]!];
  await writeFile(join(OUT, 'notice.txt'), paragraphs.map((p) => p.replace(/　/g, ' ')).join('\n') + '\n');
  console.error(`OCR fixture written to ${OUT}`);
}

await main();
