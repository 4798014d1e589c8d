// One fixture for the explorer's Chromium tests: build the site with Vite (vite.config.ts) into a
// temp dir, serve it on 127.0.0.1 and open one page; everything is torn down after the file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { collectErrors, launchChromium } from './chromium.mjs';
import { serveStatic, type StaticServer } from './server.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ExplorerSite {
  /** The built site's directory. */
  site: string;
  server: StaticServer;
  browser: Browser;
  page: Page;
  /** Console errors, page errors and failed requests of `page`. */
  errors: string[];
}

/**
 * Registers the file's beforeAll/afterAll and returns the object they fill: register it before any
 * other hook of the file, so those run after the site is up.
 */
export function useExplorerSite(pageOptions: Parameters<Browser['newPage']>[0]): ExplorerSite {
  const fixture = {} as ExplorerSite;
  beforeAll(async () => {
    fixture.site = await mkdtemp(join(tmpdir(), 'synergy-site-'));
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fixture.site, emptyOutDir: true } });
    fixture.server = await serveStatic({ '/': fixture.site });
    fixture.browser = await launchChromium();
    fixture.page = await fixture.browser.newPage(pageOptions);
    fixture.errors = collectErrors(fixture.page);
  }, 180_000);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
    if (fixture.site) await rm(fixture.site, { recursive: true, force: true });
  });
  return fixture;
}
