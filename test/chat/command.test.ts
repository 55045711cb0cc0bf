import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand } from '../../src/chat/command.ts';

test('commands are recognised with full-width digits and trailing punctuation', () => {
  assert.deepEqual(parseCommand('帮助'), { kind: 'help' });
  assert.deepEqual(parseCommand('帮助。'), { kind: 'help' });
  assert.deepEqual(parseCommand('原文 2'), { kind: 'source', n: 2 });
  assert.deepEqual(parseCommand('原文３'), { kind: 'source', n: 3 });
  assert.deepEqual(parseCommand('原文'), { kind: 'source', n: null });
  assert.deepEqual(parseCommand('状态'), { kind: 'status' });
  assert.deepEqual(parseCommand('重载'), { kind: 'reload' });
});

test('questions that merely contain a command word are questions', () => {
  assert.equal(parseCommand('帮助困难党员有什么政策'), null);
  assert.equal(parseCommand('原文在哪里看'), null);
  assert.equal(parseCommand('支部状态怎么查'), null);
});
