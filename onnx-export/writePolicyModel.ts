import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import { atomicWrite } from '../trainer/checkpoint/atomicWrite.js';
import type { ActorDescription } from '../trainer/networks/ActorCritic.js';
import { packageVersion } from './packageVersion.js';
import { buildPolicyModel } from './PolicyModel.js';

/** Anything that can describe its actor as plain numbers (an ActorCritic). */
export interface DescribableActor {
  describe(): ActorDescription;
}

/** Builds the ONNX model of an actor and writes it to `path` (through a temporary file); returns the path. */
export function writePolicyModel(actor: DescribableActor, spec: BehaviorSpec, trainerStep: number, path: string): string {
  const bytes = buildPolicyModel(actor.describe(), spec, { trainerStep, version: packageVersion() });
  mkdirSync(dirname(path), { recursive: true });
  atomicWrite(path, bytes);
  return path;
}
