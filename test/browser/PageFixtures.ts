/** Models and servers the browser tests share: a results folder with policies, and the built pages. */
import { copyFileSync, mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ball3DBehavior } from '../../sample-games/3dball/sim.js';
import { writePolicyModel } from '../../onnx-export/writePolicyModel.js';
import { trainedLookingPolicy } from '../onnx/testPolicies.js';
import { MLAGENTS_FIXTURES } from '../fixtures/mlagentsFixtures.js';

/** The Hugging Face course's SnowballTarget policy, trained with ML-Agents. */
export const SNOWBALL_COURSE_MODEL = join(MLAGENTS_FIXTURES, 'xenjin450_SnowballTarget.onnx');
/** ML-Agents' SoccerTwos policy: 336 observations -> 512 -> 512, discrete [3, 3, 3]. */
export const SOCCER_MODEL = join(MLAGENTS_FIXTURES, 'CarterSullivan_asdff_SoccerTwos.onnx');

/**
 * A results folder laid out as a run leaves it: ball/3DBall/3DBall-500.onnx (a checkpoint, older)
 * and ball/3DBall.onnx (the final model, newer: the page must pick it), both from a 3DBall
 * actor-critic whose heads are scaled so that its actions are far from zero; and the SoccerTwos
 * fixture under bench/, for timing.
 */
export function makeResultsFolder(): { dir: string; newest: string; older: string } {
  const dir = mkdtempSync(join(tmpdir(), 'three-rl-pages-results-'));
  const net = trainedLookingPolicy(ball3DBehavior, false, 11, 25);
  const older = writePolicyModel(net, ball3DBehavior, 500, join(dir, 'ball', '3DBall', '3DBall-500.onnx'));
  const newest = writePolicyModel(net, ball3DBehavior, 1000, join(dir, 'ball', '3DBall.onnx'));
  net.dispose();
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(older, hourAgo, hourAgo);
  mkdirSync(join(dir, 'bench'), { recursive: true });
  copyFileSync(SOCCER_MODEL, join(dir, 'bench', 'SoccerTwos.onnx'));
  return { dir, newest, older };
}
