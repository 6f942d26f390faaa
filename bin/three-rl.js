#!/usr/bin/env node
// The npm bin: registers tsx's loader so the TypeScript sources run as they are, from any cwd.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../trainer/cli/main.ts', import.meta.url).href);
await runCli(process.argv);
