/** Finds the .onnx policies a page can offer: ML-Agents' results layout, plus the --model file. */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { ApiPaths, type ModelEntry } from '../api/PageApi.js';

/** The file given with `three-rl play --model`, and the behaviors it was found to fit. */
export interface CliModel {
  path: string;
  behaviors: string[];
}

// results/<run>/<Behavior>.onnx and results/<run>/<Behavior>/<Behavior>-<step>.onnx are two levels
// deep; one more tolerates a folder of runs copied in whole.
const MAX_DEPTH = 3;
const CHECKPOINT = /^(.+)-(\d+)\.onnx$/;

/**
 * Every .onnx file under `resultsDir` (at most three folders deep), newest first. A run's final
 * model `<run>/<B>.onnx` and checkpoint models `<run>/<B>/<B>-<step>.onnx` are attributed to
 * behavior B, as `mlagents-learn` names them; other files get no behavior.
 */
export function listResultModels(resultsDir: string): ModelEntry[] {
  const found: ModelEntry[] = [];
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (depth < MAX_DEPTH) walk(path, depth + 1);
      } else if (stat.isFile() && name.endsWith('.onnx')) {
        const rel = relative(resultsDir, path).split(sep);
        found.push({
          url: ApiPaths.resultsModels + rel.map(encodeURIComponent).join('/'),
          label: rel.join('/'),
          ...attribution(rel),
          modifiedMs: stat.mtimeMs,
          source: 'results',
        });
      }
    }
  };
  walk(resultsDir, 1);
  return found.sort((a, b) => b.modifiedMs - a.modifiedMs || a.label.localeCompare(b.label));
}

/** The --model file as a catalog entry. */
export function cliModelEntry(model: CliModel): ModelEntry {
  const name = basename(model.path);
  let modifiedMs = 0;
  try {
    modifiedMs = statSync(model.path).mtimeMs;
  } catch {
    // Listed anyway: fetching it will report the missing file.
  }
  return { url: ApiPaths.cliModel + encodeURIComponent(name), label: `${name} (--model)`, behaviors: [...model.behaviors], step: null, modifiedMs, source: 'cli' };
}

function attribution(rel: string[]): { behaviors: string[]; step: number | null } {
  const file = rel[rel.length - 1]!;
  const folder = rel.length >= 2 ? rel[rel.length - 2]! : null;
  const checkpoint = CHECKPOINT.exec(file);
  if (checkpoint && folder === checkpoint[1]) return { behaviors: [folder], step: Number(checkpoint[2]) };
  if (rel.length === 2) return { behaviors: [file.slice(0, -'.onnx'.length)], step: null };
  return { behaviors: [], step: null };
}
