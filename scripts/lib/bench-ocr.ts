/**
 * OCR quality in the bench: each scan that has a reference transcription, read through the image
 * loader (as ingest reads it) clean, under a red seal and as a 100-dpi fax (scan-conditions.ts),
 * scored by character error rate. Runs inside a bench child, so the ~1 GB of models is its own.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDocument } from '../../src/corpus/load-document.ts';
import { paddleOcrReader } from '../../src/corpus/ocr/ocr-reader.ts';
import type { OcrQuality } from './bench-spawn.ts';
import { characterErrorRate } from './character-error-rate.ts';
import { SCAN_CONDITIONS, scanUnder } from './scan-conditions.ts';

export async function ocrQuality(scans: ReadonlyArray<{ file: string; reference: string }>, workDir: string): Promise<OcrQuality[]> {
  const ocr = paddleOcrReader();
  const dir = path.join(workDir, 'ocr-quality');
  await mkdir(dir, { recursive: true });
  const out: OcrQuality[] = [];
  let warm = false;
  for (const scan of scans) {
    const image = await readFile(scan.file).catch(() => null);
    if (!image) continue; // real-docs not on this machine
    const reference = await readFile(scan.reference, 'utf8');
    // The first read loads the models; the format table reports that, here it is left out.
    if (!warm) await ocr.readImage(image);
    warm = true;
    for (const condition of SCAN_CONDITIONS) {
      const file = path.join(dir, `${condition}-${path.basename(scan.file, path.extname(scan.file))}.png`);
      await writeFile(file, await scanUnder(condition, image));
      const t = performance.now();
      const doc = await loadDocument(file, dir, { ocr });
      const seconds = (performance.now() - t) / 1000;
      out.push({
        file: path.basename(scan.file),
        condition,
        chars: [...reference.replace(/\s+/g, '')].length,
        cer: Math.round(characterErrorRate(doc.text, reference) * 10000) / 10000,
        seconds: Math.round(seconds * 10) / 10,
      });
    }
  }
  return out;
}
