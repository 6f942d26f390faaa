import type { ErrorCode } from './messages.js';

/** A message that broke the protocol; `field` is the path of the offending field (e.g. `behaviors.Basic.decisions.obs[0]`). */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'ProtocolError';
  }
}
