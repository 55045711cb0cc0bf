/**
 * A real HTTP server on 127.0.0.1 with the Hugging Face hub's path layout,
 * `/{model}/resolve/{revision}/{file}`, serving one model folder (the tiny test model) under one
 * hub id: what HF_ENDPOINT points at in tests of downloading.
 *
 *   const mirror = await startHfMirror('Tongxin/mirrored', await tinyModelDir());
 *   env HF_ENDPOINT = mirror.url; mirror.served lists the paths asked for; await mirror.close();
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HfMirror {
  /** `http://127.0.0.1:PORT`, for HF_ENDPOINT. */
  readonly url: string;
  /** Request paths in order of arrival. */
  readonly served: string[];
  close(): Promise<void>;
}

export async function startHfMirror(modelId: string, modelDir: string): Promise<HfMirror> {
  const served: string[] = [];
  const prefix = `/${modelId}/resolve/main/`;
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    served.push(url);
    try {
      if (!url.startsWith(prefix)) throw new Error('not this model');
      const body = await readFile(path.join(modelDir, decodeURIComponent(url.slice(prefix.length))));
      res.writeHead(200, { 'content-length': body.length }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
