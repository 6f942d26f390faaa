import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunOptions } from '../config/schema.js';
import { toConfigurationYaml } from '../config/configurationYaml.js';

/**
 * results/<run-id>: made for a new run, refused when it holds an earlier run unless the user
 * says --resume or --force (ML-Agents' rule, so no run is overwritten by accident).
 */
export function prepareRunDirectory(options: RunOptions): string {
  const cs = options.checkpoint_settings;
  const dir = resolve(cs.results_dir, cs.run_id);
  const hasData = existsSync(dir) && readdirSync(dir).length > 0;
  if (cs.initialize_from !== null && !cs.resume) {
    // Checked before anything starts: the source is otherwise first read when a game declares
    // its behaviors, after the games were launched.
    const source = resolve(cs.results_dir, cs.initialize_from);
    if (!existsSync(source)) {
      const runs = existsSync(cs.results_dir) ? readdirSync(cs.results_dir).filter((name) => name !== cs.run_id) : [];
      throw new Error(
        `--initialize-from ${cs.initialize_from}: there is no run '${cs.initialize_from}' in ${resolve(cs.results_dir)}` +
          (runs.length > 0 ? ` (runs there: ${runs.sort().join(', ')})` : '') +
          '; check the run id and --results-dir',
      );
    }
  }
  if (cs.resume) {
    if (!hasData) {
      throw new Error(
        `--resume: there is no run '${cs.run_id}' in ${resolve(cs.results_dir)} to resume; check --run-id, or drop --resume to start it`,
      );
    }
  } else if (hasData) {
    if (!cs.force && !cs.inference) {
      throw new Error(
        `Previous data from this run ID was found (${dir}). Either specify a new run ID (--run-id), use --resume to resume this run, or use --force to overwrite existing data.`,
      );
    }
    if (cs.force) rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(dir, 'run_logs'), { recursive: true });
  writeFileSync(join(dir, 'configuration.yaml'), toConfigurationYaml(options));
  return dir;
}
