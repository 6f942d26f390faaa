/**
 * `three-rl export <run-dir> [--checkpoint step] [--out file]`: writes a run's policies as ONNX
 * again from saved state (e.g. an older checkpoint, or after an exporter fix), without training.
 */
import type { Command } from 'commander';
import { exportFromRun } from '../../onnx-export/exportFromRun.js';
import { selectBackend } from '../backend/selectBackend.js';

interface ExportFlags {
  checkpoint?: string;
  out?: string;
  behavior?: string;
}

/** Registers `export` on the program. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write the ONNX policy of a run (results/<run-id>) from its latest or a numbered checkpoint')
    .argument('<run-dir>', 'the run directory, e.g. results/3dball')
    .option('--checkpoint <step>', 'export the numbered checkpoint of this step instead of the latest')
    .option('--out <file>', 'output file (default <run-dir>/<Behavior>.onnx, or <run-dir>/<Behavior>/<Behavior>-<step>.onnx with --checkpoint)')
    .option('--behavior <name>', 'only this behavior (required with --out when the run has several)')
    .action(async (runDir: string, flags: ExportFlags) => {
      try {
        let checkpoint: number | undefined;
        if (flags.checkpoint !== undefined) {
          checkpoint = Number(flags.checkpoint);
          if (!/^\d+$/.test(flags.checkpoint)) throw new Error(`--checkpoint: expected a step number such as 50000, got ${JSON.stringify(flags.checkpoint)}`);
        }
        // Weights are only read once; any backend will do, and 'auto' avoids the JS CPU backend's banner.
        await selectBackend('auto');
        for (const m of exportFromRun({ runDir, checkpoint, out: flags.out, behavior: flags.behavior })) {
          console.log(`Exported ${m.behavior} at step ${m.step}: ${m.path}`);
        }
      } catch (e) {
        console.error(`[ERROR] ${(e as Error).message}`);
        process.exitCode = 1;
      }
    });
}
