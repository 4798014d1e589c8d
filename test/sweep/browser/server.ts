// A minimal static server for the browser test: the test page, dist/ and build/*.wasm, on
// 127.0.0.1 at a random port. Only GET of files under those roots is served.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PAGE = fileURLToPath(new URL('./index.html', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

function fileFor(url: string): string | null {
  const path = decodeURIComponent(new URL(url, 'http://127.0.0.1').pathname);
  if (path === '/' || path === '/index.html') return PAGE;
  if (!path.startsWith('/dist/') && !(path.startsWith('/build/') && path.endsWith('.wasm'))) return null;
  const file = resolve(ROOT, normalize(path.slice(1)));
  return file.startsWith(ROOT.endsWith(sep) ? ROOT : ROOT + sep) ? file : null;
}

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const server: Server = createServer(async (req, res) => {
    const file = req.method === 'GET' ? fileFor(req.url ?? '/') : null;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server has no address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
