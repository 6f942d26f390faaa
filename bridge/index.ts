/**
 * The game-side API of three-rl-agents: what a game imports to declare agents, sense its world,
 * and connect to a trainer or run a model. Node-only code (the `ws` package) is loaded lazily.
 */
export { AIController, type AIControllerOptions, type DecisionSource } from './agent/AIController.js';
export { emptyAction, type AgentAction } from './agent/AgentAction.js';
export { ActionMask } from './agent/ActionMask.js';
export { AgentGroup } from './agent/AgentGroup.js';
export { ObservationWriter } from './agent/ObservationWriter.js';

export {
  actionMaskSize,
  checkBehaviorSpec,
  observationSize,
  totalObservationSize,
  type ActionSpec,
  type BehaviorSpec,
  type ObservationKind,
  type ObservationSpec,
} from './spec/BehaviorSpec.js';

export type { GameInstance, GameModule, GameOptions } from './game/GameModule.js';
export { StatsRecorder } from './game/StatsRecorder.js';
export { SeededRandom } from './random/SeededRandom.js';

export { Sync, type EpisodeEndInfo, type InProcessPolicy, type SyncMode, type SyncOptions } from './sync/Sync.js';
export { FrameStepper, stepsForFrame } from './sync/FrameStepper.js';
export type { SyncTransport } from './sync/SyncTransport.js';
export { collectBehaviorSpecs } from './sync/collectBehaviorSpecs.js';

export { RayPerceptionSensor3D, type RayCastInfo, type RayPerceptionSensorOptions } from './sensors/RayPerceptionSensor3D.js';
export {
  rayAngles,
  rayPerceptionObservationSpec,
  resolveRayPerceptionSettings,
  type RayPerceptionSettings,
  type ResolvedRayPerceptionSettings,
} from './sensors/RayPerceptionSettings.js';
export { ObservationStack } from './sensors/ObservationStack.js';
export { TagRegistry, defaultTagRegistry } from './sensors/TagRegistry.js';

export { OnnxPolicy, type OnnxPolicyOptions, type PolicyActions } from './inference/OnnxPolicy.js';
export type { ModelSignature } from './inference/ModelSignature.js';
export type { OnnxRuntimeChoice } from './inference/OnnxRuntime.js';
export type { ModelSource } from './inference/loadModelBytes.js';

export { PROTOCOL_VERSION } from './protocol/version.js';
export { ProtocolError } from './protocol/ProtocolError.js';
export type { WelcomeMessage, SyncMode as TrainerSyncMode } from './protocol/messages.js';
