import type { CuriositySettings, RndSettings } from '../config/schema.js';

/** The shape of a curiosity or RND network. */
export interface SignalNetworkShape {
  readonly hiddenUnits: number;
  readonly numLayers: number;
  readonly normalize: boolean;
}

// ML-Agents' NetworkSettings default; our parsed config fills it in whether or not it was written.
const DEFAULT_HIDDEN_UNITS = 128;

/**
 * The network of an intrinsic signal, from its `network_settings` and ML-Agents' deprecated
 * `encoding_size`. ML-Agents uses encoding_size as hidden_units only when the signal has no
 * `network_settings` section; a parsed config cannot tell an absent section from one with default
 * values, so encoding_size applies when hidden_units is still the default.
 */
export function signalNetworkShape(settings: Pick<CuriositySettings | RndSettings, 'encoding_size' | 'network_settings'>): SignalNetworkShape {
  const net = settings.network_settings;
  const useEncoding = settings.encoding_size !== null && net.hidden_units === DEFAULT_HIDDEN_UNITS;
  return {
    hiddenUnits: useEncoding ? settings.encoding_size! : net.hidden_units,
    numLayers: net.num_layers,
    normalize: net.normalize,
  };
}
