/** A short description of a value a game passed to the bridge's API, for error messages. */
export function describeArgument(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'function' ? 'a function' : `a ${(v as object).constructor?.name ?? 'object'}`;
}
