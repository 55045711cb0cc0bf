import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomAllowlist } from '../../src/chat/room-allowlist.ts';

test('topics resolve to ids and follow topic changes', () => {
  const rooms = new RoomAllowlist(['党员之家', '志愿者群']);
  rooms.update('r1@chatroom', '党员之家');
  rooms.update('r2@chatroom', '闲聊');
  assert.equal(rooms.isAllowed('r1@chatroom'), true);
  assert.equal(rooms.isAllowed('r2@chatroom'), false);
  rooms.update('r2@chatroom', '志愿者群');
  rooms.update('r1@chatroom', '改名了');
  assert.deepEqual(rooms.allowedIds(), ['r2@chatroom']);
  // A room first seen through a message resolves by its topic.
  assert.equal(rooms.isAllowed('r3@chatroom', '党员之家'), true);
  assert.equal(rooms.isAllowed('r4@chatroom'), false);
});

test('the topic seen with a message wins over the one stored at login', () => {
  const rooms = new RoomAllowlist(['党员之家']);
  // wechat4u before its contacts load: a topic made up from member names.
  rooms.update('r1@chatroom', 'Alice,Bob');
  rooms.update('r2@chatroom', '党员之家');
  assert.equal(rooms.isAllowed('r1@chatroom', '党员之家'), true);
  assert.equal(rooms.isAllowed('r1@chatroom'), true); // remembered for messages without a topic
  assert.equal(rooms.isAllowed('r2@chatroom', '改名了'), false);
  assert.deepEqual(rooms.allowedIds(), ['r1@chatroom']);
});

test('"*" allows every room; an empty list allows none', () => {
  assert.equal(new RoomAllowlist(['*']).isAllowed('any@chatroom', '随便'), true);
  assert.equal(new RoomAllowlist([]).isAllowed('any@chatroom', '党员之家'), false);
});
