/**
 * Shared pieces of the browser tests: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), pages checked for console errors and requests that leave this machine,
 * and screenshots in test-artifacts/ when a test fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  // WebGL on the CPU: with --disable-gpu, Chromium offers WebGL only through SwiftShader when asked.
  '--enable-unsafe-swiftshader',
];
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** One Chromium with a fresh profile for a test file. */
export class BrowserHarness {
  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<BrowserHarness> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`the browser tests need Debian's Chromium at ${CHROMIUM}: apt-get update && apt-get install -y chromium (never a downloaded browser)`);
    }
    const profile = mkdtempSync(join(tmpdir(), 'three-rl-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 760 },
    });
    return new BrowserHarness(context, profile);
  }

  /** A new tab that records console errors, page errors and requests to other hosts. */
  async open(url: string): Promise<WatchedPage> {
    const page = await this.context.newPage();
    const watched = new WatchedPage(page);
    await page.goto(url);
    return watched;
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** A page and what went wrong on it. */
export class WatchedPage {
  readonly errors: string[] = [];
  readonly foreignRequests: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.errors.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      const url = new URL(r.url());
      if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && url.hostname !== '127.0.0.1') {
        this.foreignRequests.push(r.url());
      }
    });
  }

  /** Saves a screenshot to test-artifacts/<name>.png. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}

/**
 * Runs a test body with a page; on failure saves its screenshot (named after the test) before
 * rethrowing. THREE_RL_SCREENSHOTS=1 saves it on success too, to look at the pages.
 */
export async function withScreenshot<T>(name: string, page: WatchedPage, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    if (process.env.THREE_RL_SCREENSHOTS === '1') await page.screenshot(name);
    return result;
  } catch (e) {
    const path = await page.screenshot(`FAILED-${name}`).catch(() => null);
    if (path) (e as Error).message += `\n(screenshot: ${path})`;
    throw e;
  }
}
