import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when Chromium can run here; otherwise a loud notice, or a failure when services are required. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env['BASTION_REQUIRE_SERVICES'] === '1') throw new Error(`BASTION_REQUIRE_SERVICES=1 but ${CHROMIUM_PATH} is missing`);
  console.warn(`[bastion] SKIPPING browser tests: ${CHROMIUM_PATH} not found (install Debian "chromium")`);
  return false;
}

export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Real headless Chromium (Debian package) with a fresh profile, driven by playwright-core. */
export async function launchChromium(): Promise<HeadlessBrowser> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'bastion-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageOrigin {
  origin: string;
  close(): Promise<void>;
}

/** A second loopback origin serving an empty HTML page, from which a browser page calls the API. */
export async function servePageOrigin(): Promise<PageOrigin> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><html><head><title>origin</title></head><body></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
