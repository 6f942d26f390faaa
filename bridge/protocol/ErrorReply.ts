/**
 * What a side sends when the other one breaks the protocol: one `error` message, then a WebSocket
 * close with one of these codes. Browsers may only send close codes 1000 and 3000-4999, which is
 * why an error close is 4000 and not RFC 6455's 1008.
 */
import type { ErrorMessage } from './messages.js';
import { ProtocolError } from './ProtocolError.js';

/** WebSocket close codes of the protocol (see PROTOCOL.md, "Errors and closing"). */
export const CloseCode = {
  /** After a `close` message, or a clean shutdown. */
  normal: 1000,
  /** ws closes with this by itself when a frame exceeds MAX_FRAME_BYTES; no `error` message precedes it. */
  frameTooLarge: 1009,
  /** After sending an `error` message; its code and message say why. */
  afterError: 4000,
} as const;

/** Builds the `error` message that answers a thrown error; anything that is not a ProtocolError is reported as 'internal'. */
export function errorReply(err: unknown): ErrorMessage {
  if (err instanceof ProtocolError) {
    const reply: ErrorMessage = { type: 'error', code: err.code, message: err.message };
    if (err.field !== undefined) reply.field = err.field;
    return reply;
  }
  const text = err instanceof Error ? err.message : String(err);
  return { type: 'error', code: 'internal', message: text };
}
