// Explorer timings (issue 6): opens the built site (npm run build:web → site/) in Debian's headless
// Chromium for a few URL states and prints what the page reports: the theory worker's time (phase
// grid 120×120, trajectory, design search) and the Monte Carlo worker's (including its start-up),
// with the votes drawn per second. Uses the browser tests' server and launcher (test/web/*.mjs).
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/web/chromium.mjs';
import { serveStatic } from '../test/web/server.mjs';

const SITE = fileURLToPath(new URL('../site/', import.meta.url));
const STATES = ['', '?seed=2', '?trials=200000', '?mode=full&depth=8&trials=20000', '?mode=full&b=3&depth=12&trials=20000'];

const server = await serveStatic({ '/': SITE });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  console.log(`Chromium ${browser.version()}`);
  for (const state of STATES) {
    await page.goto(`${server.origin}/${state}`);
    await page.waitForSelector('#results[data-theory=done][data-mc=done]', { timeout: 300_000 });
    console.log(`${state || '(defaults)'}\n  ${await page.textContent('#theory-status')}\n  ${await page.textContent('#mc-status')}`);
  }
} finally {
  await browser.close();
  await server.close();
}
