// A knowledge base with vectors from an OpenAI-compatible embeddings endpoint (a real loopback
// server): when a question cannot be embedded (500, a hang past the query timeout), the answer
// comes from the lexical index alone, with one warning, instead of an error for the resident.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { OpenAIEmbedder } from '../../src/embed/openai-embedder.ts';
import { ingest } from '../../src/index/ingest.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/knowledge-base.ts';
import { createLogger } from '../../src/log.ts';
import { BUNDLED_CORPUS } from '../helpers/kb-fixture.ts';
import { startOpenAIEmbeddingsServer, type OpenAIEmbeddingsServer } from '../helpers/openai-server.ts';

const Q = '在职党员到社区报到的比例是多少？';

let dir: string;
let server: OpenAIEmbeddingsServer;
let hybrid: KnowledgeBase;
let paused: KnowledgeBase;
let lexicalOnly: KnowledgeBase;
const lines: Array<Record<string, unknown>> = [];

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tongxin-dense-'));
  server = await startOpenAIEmbeddingsServer({ dimension: 8 });
  const corpusDir = path.join(dir, 'corpus');
  const indexDir = path.join(dir, 'index');
  await cp(BUNDLED_CORPUS, corpusDir, { recursive: true });
  const config = loadConfig({ env: { EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: server.baseURL, EMBEDDING_MODEL: 'test-embed' }, dotenvDir: false, cwd: dir });
  const embedder = () => new OpenAIEmbedder({ baseURL: server.baseURL, model: 'test-embed', queryTimeoutMs: 300, maxRetries: 0 });
  const report = await ingest({ corpusDir, indexDir, config, embedder: embedder() });
  assert.equal(report.dense, true);
  const logger = createLogger({ level: 'warn', format: 'json', write: (l) => lines.push(JSON.parse(l)) });
  // No pause here, so each fault below meets the endpoint; the pause has its own test.
  hybrid = await openKnowledgeBase({ indexDir, config, logger, embedder: embedder(), chatModel: null, densePauseMs: 0 });
  paused = await openKnowledgeBase({ indexDir, config, logger, embedder: embedder(), chatModel: null, densePauseMs: 60_000 });
  lexicalOnly = await openKnowledgeBase({ indexDir, config, embedder: null, chatModel: null });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('with the endpoint up, the question is embedded and both lists are fused', async () => {
  const a = await hybrid.ask(Q);
  assert.equal(hybrid.stats().dense, true);
  assert.ok(a.explain.dense && a.explain.dense.length > 0);
  assert.equal(lines.length, 0);
});

test('an endpoint failing (HTTP 500) or hanging past the query timeout: the lexical answer, and a warning', async () => {
  const expected = await lexicalOnly.ask(Q);
  assert.match(expected.body, /91\.43%/);
  for (const [step, reason] of [
    [{ status: 500, error: 'upstream down' }, /HTTP 500/],
    [{ hangMs: 3000 }, /timed out/i],
  ] as const) {
    lines.length = 0;
    const sent = server.requests.length;
    server.enqueue(step);
    const a = await hybrid.ask(Q);
    // One request: the question is not retried while a resident waits.
    assert.equal(server.requests.length, sent + 1);
    assert.deepEqual(
      { answer: a.answer, refused: a.refused, citations: a.citations, dense: a.explain.dense },
      { answer: expected.answer, refused: false, citations: expected.citations, dense: null },
    );
    const warnings = lines.filter((l) => l.msg === 'query not embedded, answering from the lexical index alone');
    assert.equal(warnings.length, 1, JSON.stringify(lines));
    assert.equal(warnings[0]!.level, 'warn');
    assert.match(String(warnings[0]!.reason), reason);
  }
  // And the next question is hybrid again.
  assert.ok((await hybrid.ask(Q)).explain.dense);
});

test('after a failed embedding, questions go lexical at once for the pause, without asking the endpoint', async () => {
  const expected = await lexicalOnly.ask(Q);
  assert.ok((await paused.ask(Q)).explain.dense);
  lines.length = 0;
  server.enqueue({ status: 503, error: 'overloaded' });
  const first = await paused.ask(Q);
  assert.equal(first.explain.dense, null);
  const sent = server.requests.length;
  for (let i = 0; i < 5; i++) {
    const a = await paused.ask(Q);
    assert.deepEqual({ answer: a.answer, dense: a.explain.dense }, { answer: expected.answer, dense: null });
  }
  assert.equal(server.requests.length, sent);
  // One line for the failure, one for the pause; nothing for the questions skipped.
  assert.deepEqual(
    lines.map((l) => l.msg),
    ['dense search paused after a failed query embedding', 'query not embedded, answering from the lexical index alone'],
  );
});
