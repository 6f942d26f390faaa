/**
 * The I/O contract of ML-Agents' model API version 3 (ml-agents/mlagents/trainers/torch_entities/
 * model_serialization.py TensorNames, checked against real ML-Agents exports in
 * shared/fixtures/mlagents), shared by the exporter and OnnxPolicy.
 *
 * Inputs: `obs_0 … obs_{n-1}` float32 [batch, ...shape], one per observation, then
 * `action_masks` float32 [batch, sum of branch sizes] (1 allowed, 0 masked) when there are
 * discrete branches. Outputs, in this order, those that apply:
 *   version_number [1] float = 3, memory_size [1] float = 0,
 *   continuous_actions [batch, C] float (sampled, clamp(-3, 3) / 3),
 *   continuous_action_output_shape [1] float = C,
 *   deterministic_continuous_actions [batch, C] float (clamp(mean, -3, 3) / 3),
 *   discrete_actions [batch, branches] int64 (sampled), discrete_action_output_shape [1, branches]
 *   float = branch sizes, deterministic_discrete_actions [batch, branches] int64 (argmax).
 *
 * Observation order. obs_i is the i-th observation of the behavior spec, in the spec's order. In
 * Unity, ML-Agents' Agent.InitializeSensors gathers the agent's sensors (the VectorSensor of
 * CollectObservations, named "VectorSensor_size<N>", or "StackingSensor_size<k>_VectorSensor_size<N>"
 * when stacked, plus every SensorComponent's sensors, e.g. ray sensors named by their SensorName)
 * and sorts them by name (SensorUtils.SortSensors: string.Compare with InvariantCulture, i.e. not
 * ordinal: case and accents matter less than letters); obs_i is the i-th sensor of that sorted
 * list. Vector observations are not put first: ML-Agents' Pyramids model takes its three ray
 * sensors (56 floats each) as obs_0..2 and the 4-float "VectorSensor_size4" as obs_3, and its
 * SnowballTarget model has a 3-float input between ray-sized ones (27, 99, 99, 3, 132). A game
 * that runs an ML-Agents model must therefore declare its observations in that sorted order; models
 * exported by three-rl-agents carry the observation names in their metadata, and OnnxPolicy maps
 * them by name.
 */

/** ML-Agents' model API version this project reads and writes. */
export const MODEL_API_VERSION = 3;

/** Opset of the exported graphs: ML-Agents' (SerializationSettings.onnx_opset), which Unity's loaders accept. */
export const EXPORT_OPSET = 9;

/** The dimension name of the batch axis. */
export const BATCH_DIM = 'batch';

/** ML-Agents' tensor names. */
export const TensorNames = {
  observationPrefix: 'obs_',
  actionMasks: 'action_masks',
  versionNumber: 'version_number',
  memorySize: 'memory_size',
  continuousActions: 'continuous_actions',
  continuousActionOutputShape: 'continuous_action_output_shape',
  deterministicContinuousActions: 'deterministic_continuous_actions',
  discreteActions: 'discrete_actions',
  discreteActionOutputShape: 'discrete_action_output_shape',
  deterministicDiscreteActions: 'deterministic_discrete_actions',
  /** Recurrent models only (memory_size > 0); not supported here. */
  recurrentIn: 'recurrent_in',
} as const;

/** Name of the i-th observation input. */
export function observationInputName(i: number): string {
  return `${TensorNames.observationPrefix}${i}`;
}

/**
 * Keys of the model metadata (ModelProto.metadata_props) written by three-rl-agents, so that a
 * game can check that a model fits it before running it. JSON values are marked.
 */
export const MetadataKeys = {
  behaviorName: 'three_rl_agents.behavior_name',
  /** JSON: [{input: 'obs_0', name, shape, kind}], in input order. */
  observations: 'three_rl_agents.observations',
  /** JSON: {continuous: C, discrete: [branch sizes]}. */
  actions: 'three_rl_agents.actions',
  trainerStep: 'three_rl_agents.trainer_step',
  version: 'three_rl_agents.version',
  /** Whether observation normalisation is baked into the graph ('true' / 'false'). */
  normalize: 'three_rl_agents.normalize',
} as const;
