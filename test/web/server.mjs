// A minimal static file server for the browser tests and bench/explorer.mjs: GET of files under the
// given roots, on 127.0.0.1 at a random port. Records the paths requested so tests can see what was
// fetched. Plain JavaScript (types in server.d.mts) so the .mjs bench runs it without a build.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

/** Serves `mounts` (URL prefix → directory); a request for a directory serves its index.html. */
export async function serveStatic(mounts) {
  const requests = [];
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]).sort((a, b) => b[0].length - a[0].length);
  async function fileFor(url) {
    const path = decodeURIComponent(new URL(url, 'http://127.0.0.1').pathname);
    for (const [prefix, dir] of roots) {
      if (!path.startsWith(prefix)) continue;
      let file = resolve(dir, normalize(path.slice(prefix.length)).replace(/^[/\\]+/, ''));
      if (file !== dir && !file.startsWith(dir + sep)) return null;
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) file = join(file, 'index.html');
      return file;
    }
    return null;
  }
  const server = createServer(async (req, res) => {
    requests.push(req.url ?? '/');
    const file = req.method === 'GET' ? await fileFor(req.url ?? '/') : null;
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!body || !file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the test server has no address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}
