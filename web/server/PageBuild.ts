/**
 * Builds the pages with Vite into dist/web/<stamp>/, where the stamp hashes every source file the
 * bundles can include. A build whose stamp exists is reused, so `three-rl play` and the trainer
 * start at once unless a source changed; concurrent builders each write a temporary folder and the
 * first rename wins.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: web/server/ is two levels below it. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// What the page bundles are made of: sources of the game side, the pages, and locked dependencies.
const SOURCE_FOLDERS = ['web', 'bridge', 'sample-games', 'trainer/live'];
const SOURCE_FILES = ['package-lock.json', 'package.json'];
const SKIP = new Set(['node_modules', 'dist', '.git']);
// Builds of other stamps younger than this may still be served by another process.
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/** Options of buildPages. */
export interface PageBuildOptions {
  /** Where builds go; default <root>/dist/web. */
  cacheDir?: string;
  /** Rebuild even when a build with the same stamp exists. */
  force?: boolean;
  /** Progress lines ("Building the pages ..."); default silent. */
  log?: (line: string) => void;
}

/** Hash of the path, size and modification time of every page source. */
export function sourceStamp(root = packageRoot): string {
  const hash = createHash('sha256');
  const add = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!SKIP.has(name) && !name.startsWith('.')) add(join(path, name));
    } else if (stat.isFile()) {
      hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const f of [...SOURCE_FOLDERS, ...SOURCE_FILES]) add(join(root, f));
  return hash.digest('hex').slice(0, 16);
}

/** Builds the pages unless a build of the current sources exists; resolves with its folder. */
export async function buildPages(options: PageBuildOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? join(packageRoot, 'dist', 'web');
  const stamp = sourceStamp();
  const outDir = join(cacheDir, stamp);
  if (!options.force && existsSync(join(outDir, 'index.html'))) return outDir;

  mkdirSync(cacheDir, { recursive: true });
  const tmpDir = join(cacheDir, `${stamp}.tmp-${process.pid}-${Date.now().toString(36)}`);
  const started = Date.now();
  options.log?.('Building the pages with Vite ...');
  const { build } = await import('vite');
  try {
    await build({
      configFile: join(packageRoot, 'web', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: tmpDir, emptyOutDir: true },
    });
  } catch (e) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`building the pages with Vite failed: ${(e as Error).message}`, { cause: e });
  }
  if (options.force) rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(tmpDir, outDir);
  } catch {
    // Another process finished the same build first; use it.
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`building the pages: ${outDir} has no index.html after the build`);
  options.log?.(`Built the pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  removeOldBuilds(cacheDir, stamp);
  return outDir;
}

function removeOldBuilds(cacheDir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(cacheDir)) {
    if (name === keep || name.startsWith(`${keep}.tmp-`)) continue;
    const path = join(cacheDir, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Someone else removed it.
    }
  }
}
