/**
 * The conditions a scan reaches an office in, made from a clean page image with @napi-rs/canvas
 * (no fonts needed, so the same pixels on every machine): a red seal stamped over the text, as on
 * every 红头文件, and a 100-dpi black-and-white fax of a 200-dpi page. The bench scores OCR on each
 * (issue 8 measured 0.5 % clean, 2.8 % under a seal, 9.2 % as a fax on a 390-character notice).
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';

export type ScanCondition = 'clean' | 'seal' | 'fax';
export const SCAN_CONDITIONS: readonly ScanCondition[] = ['clean', 'seal', 'fax'];

export async function scanUnder(condition: ScanCondition, png: Uint8Array): Promise<Uint8Array> {
  if (condition === 'clean') return png;
  const img = await loadImage(Buffer.from(png));
  if (condition === 'seal') {
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    // A 4 cm seal (at 200 dpi ~ 315 px across) over the lower right of the text, ink multiplied
    // over the black as a stamp is: ring, five-pointed star, and the arc of its lettering as bars.
    const r = Math.min(158, img.width / 5, img.height / 3);
    const cx = img.width * 0.62;
    const cy = img.height * 0.55;
    ctx.globalCompositeOperation = 'multiply';
    ctx.strokeStyle = ctx.fillStyle = 'rgba(222, 38, 38, 0.85)';
    ctx.lineWidth = r * 0.06;
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
    ctx.stroke();
    ctx.beginPath();
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const rr = i % 2 === 0 ? r * 0.3 : r * 0.12;
      ctx.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
    }
    ctx.closePath();
    ctx.fill();
    for (let i = 0; i < 12; i++) {
      const a = Math.PI * (1.1 + (i * 0.8) / 11);
      ctx.save();
      ctx.translate(cx + r * 0.75 * Math.cos(a), cy + r * 0.75 * Math.sin(a));
      ctx.rotate(a + Math.PI / 2);
      ctx.fillRect(-r * 0.07, -r * 0.09, r * 0.14, r * 0.18);
      ctx.restore();
    }
    return canvas.toBuffer('image/png');
  }
  // Fax: half the resolution, then every pixel black or white, as a G3 fax prints it.
  const w = Math.round(img.width / 2);
  const h = Math.round(img.height / 2);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h);
  const px = data.data;
  for (let i = 0; i < px.length; i += 4) {
    const grey = 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
    const v = grey < 150 ? 0 : 255;
    px[i] = px[i + 1] = px[i + 2] = v;
  }
  ctx.putImageData(data, 0, 0);
  return canvas.toBuffer('image/png');
}
