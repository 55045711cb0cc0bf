import { test } from 'node:test';
import assert from 'node:assert/strict';
import qrcodeTerminal from 'qrcode-terminal';
import { ScanStatus } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { showLoginQr } from '../../src/channels/login-qr.ts';
import { createBot } from '../../src/channels/wechat-bot.ts';
import { createLogger } from '../../src/log.ts';
import { buildKbFixture } from '../helpers/kb-fixture.ts';
import { LEXICAL_ENV } from './wechat-harness.ts';

test('before login, a scan event draws the QR code on stderr and logs its image URL; other statuses are logged', async (t) => {
  const fixture = await buildKbFixture({ docs: { 'a.md': '# 三会一课\n党小组会一般每月召开1次。\n' } });
  t.after(() => fixture.cleanup());
  const mocker = new mock.Mocker();
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', format: 'json', write: (l) => logs.push(JSON.parse(l)) });
  const bot = await createBot({ puppet: new PuppetMock({ mocker }), indexDir: fixture.indexDir, env: { ...LEXICAL_ENV, BOT_LOG_DIR: fixture.dir }, logger });
  const written: string[] = [];
  showLoginQr(bot, logger, (text) => written.push(text));
  await bot.start();
  try {
    const qrcode = 'https://login.weixin.qq.com/l/abc123==';
    mocker.scan(qrcode, ScanStatus.Waiting);
    mocker.scan(qrcode, ScanStatus.Timeout); // a new code after the old one expired
    mocker.scan(qrcode, ScanStatus.Scanned);
    let art = '';
    qrcodeTerminal.generate(qrcode, { small: true }, (drawn) => (art = drawn));
    assert.ok(art.split('\n').length > 10, art);
    assert.deepEqual(written, [`${art}\n`, `${art}\n`]);
    const url = 'https://wechaty.js.org/qrcode/https%3A%2F%2Flogin.weixin.qq.com%2Fl%2Fabc123%3D%3D';
    assert.deepEqual(
      logs.filter((l) => l.msg !== 'knowledge base loaded').map((l) => [l.msg, l.url ?? l.status]),
      [
        ['scan the QR code with the WeChat account of the bot', url],
        ['scan the QR code with the WeChat account of the bot', url],
        ['login scan', 'Scanned'],
      ],
    );
  } finally {
    await bot.stop();
  }
});
