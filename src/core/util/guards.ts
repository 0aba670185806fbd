/** True for a plain object (not null, not an array): the shape JSON objects take. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
