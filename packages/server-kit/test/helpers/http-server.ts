// A real HTTP server on port 0 whose handler each test sets; counts requests (ky's test style).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Captured {
  method: string;
  url: string;
  query: string;
  body: string;
}

export interface TestServer {
  url: string;
  requests: Captured[];
  handle: (fn: (req: Captured, res: ServerResponse) => unknown) => void;
  close: () => Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  let handler: (req: Captured, res: ServerResponse) => unknown = (_q, res) => res.end('');
  const requests: Captured[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? '';
    const cap: Captured = {
      method: req.method ?? '',
      url,
      query: url.includes('?') ? url.slice(url.indexOf('?') + 1) : '',
      body: Buffer.concat(chunks).toString('latin1'),
    };
    requests.push(cap);
    try {
      await handler(cap, res);
    } catch {
      res.statusCode = 500;
      res.end('handler failed');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/gateway.do`,
    requests,
    handle: (fn) => (handler = fn),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
