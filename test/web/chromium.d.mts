// Types of chromium.mjs.
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM: string;

/** Launches /usr/bin/chromium headless; throws (never skips) when it is missing. */
export function launchChromium(): Promise<Browser>;

/** Console errors, uncaught page errors and failed requests of a page, collected as they happen. */
export function collectErrors(page: Page): string[];
