/** Protocol version spoken by this build; a different major version is refused at the handshake. */
export const PROTOCOL_VERSION = '1.0';

/** Parses `major.minor`; returns null for anything else. */
export function parseProtocolVersion(v: unknown): { major: number; minor: number } | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}
