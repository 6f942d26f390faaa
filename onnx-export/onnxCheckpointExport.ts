import { join } from 'node:path';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import type { PpoOptimizer } from '../trainer/ppo/PpoOptimizer.js';
import { writePolicyModel } from './writePolicyModel.js';

/** Where a run keeps a behavior's ONNX files, as ML-Agents lays them out. */
export function policyModelPath(runDir: string, behavior: string, step: number | null): string {
  return step === null ? join(runDir, `${behavior}.onnx`) : join(runDir, behavior, `${behavior}-${step}.onnx`);
}

/**
 * The trainer's default `exportPolicy` hook: `<run>/<Behavior>/<Behavior>-<step>.onnx` beside each
 * checkpoint (returned, so keep_checkpoints prunes it with the checkpoint), and `<run>/<Behavior>.onnx`
 * at the end of the run or on Ctrl+C.
 */
export function exportOnnxPolicy(behavior: BehaviorSpec, optimizer: PpoOptimizer, step: number, runDir: string, final: boolean): string[] {
  return [writePolicyModel(optimizer.policy, behavior, step, policyModelPath(runDir, behavior.name, final ? null : step))];
}
