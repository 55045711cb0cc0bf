/**
 * Progress for long work (reading, OCR, embedding) on stderr: a bar on a terminal, otherwise a log
 * line every 10% so CI and process managers still see movement.
 */
import cliProgress from 'cli-progress';
import type { Logger } from '../log.ts';

const LABELS: Record<string, string> = { read: '读取文档', ocr: '识别扫描件（第几页/共几页）', embed: '生成向量', index: '建立索引' };

// OCR takes seconds a page: off a terminal every page is worth a line, or a long scan looks hung.
const EVERY_STEP = new Set(['ocr']);

export function createProgressReporter(logger: Logger, stream: NodeJS.WriteStream = process.stderr) {
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  let lastDecile = -1;
  const tty = Boolean(stream.isTTY);
  return {
    update(next: string, done: number, total: number): void {
      if (next !== phase) {
        bar?.stop();
        bar = null;
        phase = next;
        lastDecile = -1;
        if (tty && total > 1) {
          bar = new cliProgress.SingleBar(
            { stream, format: `${LABELS[next] ?? next} [{bar}] {percentage}% {value}/{total} 预计剩余 {eta_formatted}`, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        }
      }
      if (bar) {
        bar.setTotal(total);
        bar.update(done);
      } else if (EVERY_STEP.has(next)) {
        logger.info(`${LABELS[next] ?? next} ${done}/${total}`);
      } else if (total >= 50) {
        // Small jobs finish before a log line would help; large ones log every 10%.
        const decile = Math.floor((done / total) * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          logger.info(`${LABELS[next] ?? next} ${done}/${total}`);
        }
      }
    },
    stop(): void {
      bar?.stop();
      bar = null;
    },
  };
}
