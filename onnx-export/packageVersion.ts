import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** The three-rl-agents version from package.json (written into every exported model). */
export function packageVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
