/** How a Sync exchanges binary frames with the trainer; one implementation per runtime. */
export interface SyncTransport {
  /** Sends one binary frame. */
  send(frame: Uint8Array): void;
  /** Closes the connection; `onClose` is not called for a close started here. */
  close(code?: number, reason?: string): void;
  /** Called with every binary frame that arrives. */
  onFrame: (frame: Uint8Array | ArrayBuffer) => void;
  /** Called once when the peer or the network ends the connection. */
  onClose: (info: { code: number; reason: string }) => void;
}
