import qrcodeTerminal from 'qrcode-terminal';
import { qrcodeValueToImageUrl, ScanStatus, type Wechaty } from 'wechaty';
import type { Logger } from '../log.ts';

/**
 * Shows the login QR code whenever the puppet asks for a scan: drawn on stderr, and its image URL
 * logged for a terminal too narrow for the drawing or a process manager that keeps only logs.
 */
export function showLoginQr(bot: Wechaty, logger: Logger, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  bot.on('scan', (qrcode, status) => {
    if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
      qrcodeTerminal.generate(qrcode, { small: true }, (art) => write(`${art}\n`));
      logger.info('scan the QR code with the WeChat account of the bot', { url: qrcodeValueToImageUrl(qrcode) });
    } else {
      logger.info('login scan', { status: ScanStatus[status] });
    }
  });
}
