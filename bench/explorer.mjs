// Explorer timings (issue 6): opens the built site (npm run build:web → site/) in Debian's headless
// Chromium for a few URL states and prints what the page reports: the theory worker's time (phase
// grid 120×120, trajectory, design search) and the Monte Carlo worker's (including its start-up),
// with the votes drawn per second. Uses the browser tests' server and launcher (test/web/*.mjs).
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/web/chromium.mjs';
import { serveStatic } from '../test/web/server.mjs';

const SITE = fileURLToPath(new URL('../site/', import.meta.url));
const STATES = ['', '?seed=2', '?trials=200000', '?mode=full&depth=8&trials=20000', '?mode=full&b=3&depth=12&trials=20000',
  // K = 10 answers (§H): plurality maps in the theory worker, the plurality simulator in the Monte Carlo one.
  '?answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=20&trials=50000', '?answers=10&b=3&gamma=0.85&rho=0&q=0.3&depth=6&mode=full&trials=50000'];

const server = await serveStatic({ '/': SITE });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  console.log(`Chromium ${browser.version()}`);
  for (const state of STATES) {
    await page.goto(`${server.origin}/${state}`);
    // Runs estimated over 5 s wait for the Run button (issue 15): press it.
    await page.waitForSelector('#results[data-theory=done]:is([data-mc=waiting], [data-mc=done], [data-mc=running])', { timeout: 300_000 });
    if (await page.getAttribute('#results', 'data-mc') === 'waiting') await page.click('#mc-run');
    await page.waitForSelector('#results[data-theory=done][data-mc=done]', { timeout: 300_000 });
    console.log(`${state || '(defaults)'}\n  ${await page.textContent('#theory-status')}\n  ${await page.textContent('#mc-status')}`);
  }
} finally {
  await browser.close();
  await server.close();
}
