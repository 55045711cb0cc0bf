/**
 * A real HTTP server on 127.0.0.1 (random port) speaking the OpenAI embeddings protocol
 * (`POST /v1/embeddings`), for tests of the OpenAI-compatible embedder. Chat completions live
 * in openai-chat-server.ts.
 *
 *   const server = await startOpenAIEmbeddingsServer({ dimension: 4 });
 *   after(() => server.close());
 *   const e = new OpenAIEmbedder({ baseURL: server.baseURL, apiKey: 'sk-test', model: 'm' });
 *   server.requests[0].body.input; server.requests[0].headers.authorization;
 *
 * By default every input gets `fakeEmbedding(text, dimension)` (deterministic, NOT unit
 * length, so client-side normalization is observable), returned in input order or, with
 * `reverse`, in reverse order (the protocol's `index` field says which is which).
 * `enqueue(step)` overrides the next request:
 *   { status: 401, error?: '…' }   an OpenAI-style error body with that status
 *   { hangMs: 2000 }               wait (ends early if the client goes away), then answer normally
 *   { json: {...} }                200 with this body, e.g. a wrong number of embeddings
 *   { garbage: 'not json' }        200 application/json that is not JSON
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmbeddingsStep =
  | { status: number; error?: string }
  | { hangMs: number }
  | { json: unknown }
  | { garbage: string };

export interface EmbeddingsRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: { model?: string; input?: string | string[]; encoding_format?: string; [key: string]: unknown };
}

export interface OpenAIEmbeddingsServer {
  /** `http://127.0.0.1:PORT/v1`, ready for the SDK's baseURL. */
  readonly baseURL: string;
  readonly requests: EmbeddingsRequest[];
  enqueue(...steps: EmbeddingsStep[]): void;
  close(): Promise<void>;
}

export interface EmbeddingsServerOptions {
  /** Width of the fake vectors. Default 4. */
  dimension?: number;
  /** Answer `data` in reverse input order. Default false. */
  reverse?: boolean;
}

/** Deterministic, unnormalized: component j is 1 + the sum of (code * (j + 1)) mod 7 over chars. */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const v = Array.from({ length: dimension }, () => 1);
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    for (let j = 0; j < dimension; j++) v[j]! += (code * (j + 1)) % 7;
  }
  return v;
}

export async function startOpenAIEmbeddingsServer(options: EmbeddingsServerOptions = {}): Promise<OpenAIEmbeddingsServer> {
  const dimension = options.dimension ?? 4;
  const queue: EmbeddingsStep[] = [];
  const requests: EmbeddingsRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method !== 'POST' || !/^(\/v1)?\/embeddings$/.test(path)) {
        sendJson(res, 404, { error: { message: `openai-server: no route ${req.method} ${path}`, type: 'not_found' } });
        return;
      }
      let body: EmbeddingsRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
        return;
      }
      requests.push({ method: req.method, url: req.url ?? '', headers: req.headers, body });
      const step = queue.shift();
      if (step && 'hangMs' in step) {
        const timer = setTimeout(() => answer(body, res), step.hangMs);
        res.on('close', () => clearTimeout(timer));
      } else if (step && 'status' in step) {
        sendJson(res, step.status, { error: { message: step.error ?? `scripted ${step.status}`, type: 'scripted', code: null } });
      } else if (step && 'json' in step) {
        sendJson(res, 200, step.json);
      } else if (step && 'garbage' in step) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(step.garbage);
      } else {
        answer(body, res);
      }
    });
  });

  function answer(body: EmbeddingsRequest['body'], res: http.ServerResponse): void {
    const inputs = typeof body.input === 'string' ? [body.input] : (body.input ?? []);
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dimension) }));
    if (options.reverse) data.reverse();
    const tokens = inputs.reduce((n, t) => n + [...t].length, 0);
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...steps) => queue.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
