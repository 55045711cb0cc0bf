/**
 * A real HTTP server on 127.0.0.1 (random port) speaking the OpenAI chat-completions protocol
 * (non-streaming JSON), scripted per request. For tests of anything that talks to a model.
 *
 *   const server = await startOpenAIChatServer();
 *   after(() => server.close());
 *   server.enqueue({ reply: '第一句。[1]' });           // next request gets this content
 *   const model = createOpenAIChatModel({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'm', timeoutMs: 2000 });
 *   server.requests[0].body.messages; server.requests[0].headers.authorization;
 *
 * Steps (one per request, first in first out; `setDefault` answers when the queue is empty,
 * and without one the server answers 500 "no scripted reply"):
 *   { reply: '…', finishReason? }            200 with a completion whose content is `reply`
 *   { status: 500, error?: '…', headers? }   an OpenAI-style error body with that status;
 *                                            e.g. { status: 429, headers: { 'retry-after': '7' } }
 *   { hangMs: 2000, then? }                  wait, then answer `then` (default a reply 'late');
 *                                            the wait ends early if the client goes away
 *   { garbage: '<html>', contentType? }      200 with a body that is not JSON (default type
 *                                            application/json, so the client's parser fails)
 *   { json: {...} }                          200 with this JSON, e.g. one without `choices`
 *   (request) => step                        choose by the request (e.g. by the question)
 *
 * Every request to /v1/chat/completions is recorded in `requests` (method, url, lower-case
 * headers, parsed JSON body) before its step runs. `unusedBaseURL()` gives a URL on a port that
 * was just closed, for connection-refused tests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ChatStep =
  | { reply: string; finishReason?: string }
  | { status: number; error?: string; headers?: Record<string, string> }
  | { hangMs: number; then?: ChatStep }
  | { garbage: string; contentType?: string }
  | { json: unknown };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: ChatRequestBody;
}

/** The fields of a chat request the tests look at (anything else passes through). */
export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  temperature?: number;
  max_tokens?: number;
  [key: string]: unknown;
}

export type ScriptedStep = ChatStep | ((request: RecordedRequest) => ChatStep);

export interface OpenAIChatServer {
  /** `http://127.0.0.1:PORT/v1`, ready for the SDK's baseURL. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  enqueue(...steps: ScriptedStep[]): void;
  setDefault(step: ScriptedStep | undefined): void;
  close(): Promise<void>;
}

export async function startOpenAIChatServer(): Promise<OpenAIChatServer> {
  const queue: ScriptedStep[] = [];
  const requests: RecordedRequest[] = [];
  let fallback: ScriptedStep | undefined;
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method !== 'POST' || !/^(\/v1)?\/chat\/completions$/.test(path)) {
        sendJson(res, 404, { error: { message: `openai-chat-server: no route ${req.method} ${path}`, type: 'not_found' } });
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(raw) as ChatRequestBody;
      } catch {
        body = { raw };
      }
      const recorded: RecordedRequest = { method: req.method, url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const scripted = queue.shift() ?? fallback;
      const step: ChatStep = scripted
        ? typeof scripted === 'function'
          ? scripted(recorded)
          : scripted
        : { status: 500, error: 'openai-chat-server: no scripted reply' };
      counter += 1;
      run(step, res, body, counter);
    });
  });

  function run(step: ChatStep, res: http.ServerResponse, body: ChatRequestBody, id: number): void {
    if ('reply' in step) {
      sendJson(res, 200, {
        id: `chatcmpl-test-${id}`,
        object: 'chat.completion',
        created: 1_700_000_000,
        model: body.model ?? 'test-model',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: step.reply, refusal: null },
            logprobs: null,
            finish_reason: step.finishReason ?? 'stop',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    } else if ('status' in step) {
      sendJson(
        res,
        step.status,
        { error: { message: step.error ?? `scripted status ${step.status}`, type: 'server_error', code: null } },
        step.headers,
      );
    } else if ('hangMs' in step) {
      const timer = setTimeout(() => run(step.then ?? { reply: 'late' }, res, body, id), step.hangMs);
      res.on('close', () => clearTimeout(timer));
    } else if ('garbage' in step) {
      res.writeHead(200, { 'content-type': step.contentType ?? 'application/json' });
      res.end(step.garbage);
    } else {
      sendJson(res, 200, step.json);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...steps) => void queue.push(...steps),
    setDefault: (step) => void (fallback = step),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging requests would keep close() waiting; cut them.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A base URL on a loopback port that was listening a moment ago and is now closed. */
export async function unusedBaseURL(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
