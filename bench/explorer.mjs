// Explorer timings (issue 6): opens the built site (npm run build:web → site/) in Debian's headless
// Chromium for a few URL states and prints what the page reports: the theory worker's time (phase
// grid 120×120, trajectory, design search) and the Monte Carlo worker's (including its start-up).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SITE = fileURLToPath(new URL('../site/', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.map': 'application/json' };
const STATES = ['', '?seed=2', '?trials=200000', '?mode=full&depth=8&trials=20000'];

const server = createServer(async (req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '');
  if (path === '' || path.endsWith('/')) path += 'index.html';
  const body = await readFile(join(SITE, path)).catch(() => null);
  if (!body) res.writeHead(404).end();
  else res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  console.log(`Chromium ${browser.version()}`);
  for (const state of STATES) {
    await page.goto(`${origin}/${state}`);
    await page.waitForSelector('#results[data-theory=done][data-mc=done]', { timeout: 300_000 });
    console.log(`${state || '(defaults)'}\n  ${await page.textContent('#theory-status')}\n  ${await page.textContent('#mc-status')}`);
  }
} finally {
  await browser.close();
  server.close();
}
