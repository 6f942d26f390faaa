/** Training configuration: ML-Agents' YAML format, resolved with ML-Agents' defaults. */
export * from './schema.js';
export { ConfigError, formatConfigPath, type ConfigProblem } from './ConfigError.js';
export { loadRunOptions, parseRunOptions, resolveRunOptions, settingsForBehavior, type LoadOptions } from './loadRunOptions.js';
export { applyCliOverrides, prioritizeResumeInit, type CliOverrides } from './cliOverrides.js';
export { toConfigurationYaml } from './configurationYaml.js';
export { CONFIG_FEATURES, type ConfigFeature, type FeatureStatus } from './configFeatures.js';
export { didYouMean, editDistance } from './didYouMean.js';
