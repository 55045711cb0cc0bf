import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactor } from '../src/redact.ts';
import { createLogger } from '../src/log.ts';

test('every occurrence of every secret is cut; short or missing values are not secrets', () => {
  const redact = redactor(['sk-abc123', undefined, 'k', '', 'tok-9999']);
  assert.equal(redact('401: Incorrect API key sk-abc123 (sk-abc123), token tok-9999; k stays'), '401: Incorrect API key *** (***), token ***; k stays');
  assert.equal(redactor([])('sk-abc123'), 'sk-abc123');
});

test('the logger cuts its secrets from messages and fields alike', () => {
  const lines: string[] = [];
  const log = createLogger({ format: 'json', secrets: ['sk-abc123'], write: (l) => lines.push(l) });
  log.error('request with sk-abc123 failed', { err: new Error('echo sk-abc123'), url: 'https://x/?key=sk-abc123' });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes('sk-abc123'), lines[0]);
  assert.equal((lines[0]!.match(/\*\*\*/g) ?? []).length >= 3, true, lines[0]);
});
