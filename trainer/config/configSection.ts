/**
 * A strict config section: a zod object that refuses unknown keys with a message that names the
 * key, its value and the closest known key, or the section where that key actually belongs.
 */
import { z } from 'zod';
import { didYouMean } from './didYouMean.js';

/** Which sections define each key, so that `learning_rate` under `network_settings` can be sent home. */
const sectionsByKey = new Map<string, Set<string>>();

/** Sections that define `key`, e.g. `hyperparameters` for `learning_rate`; empty when no section does. */
export function sectionsDefining(key: string): string[] {
  return [...(sectionsByKey.get(key) ?? [])];
}

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `hyperparameters` as code, "the behavior" as prose. */
function sectionName(label: string): string {
  return label.startsWith('the ') ? label : `\`${label}\``;
}

/** Explains one unknown key of section `label`, whose known keys are `known`. */
export function unknownKeyMessage(key: string, value: unknown, label: string, known: readonly string[]): string {
  const head = `unknown key \`${key}\` (value ${shortValue(value)}) in ${sectionName(label)}`;
  const close = didYouMean(key, known);
  if (close !== undefined) return `${head}; did you mean \`${close}\`?`;
  const elsewhere = sectionsDefining(key).filter((s) => s !== label);
  if (elsewhere.length > 0) return `${head}; \`${key}\` belongs under ${elsewhere.map(sectionName).join(' or ')}`;
  return `${head}; the keys of ${label} are ${known.map((k) => `\`${k}\``).join(', ')}`;
}

/** A zod object for section `label` that rejects keys outside `shape` with a did-you-mean message. */
export function configSection<Shape extends z.ZodRawShape>(label: string, shape: Shape) {
  const known = Object.keys(shape);
  for (const key of known) {
    if (!sectionsByKey.has(key)) sectionsByKey.set(key, new Set());
    sectionsByKey.get(key)!.add(label);
  }
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const input = (issue.input ?? {}) as Record<string, unknown>;
      // One line per key, in issue.keys order, so that each key can be reported at its own path.
      return issue.keys.map((key) => unknownKeyMessage(key, input[key], label, known)).join('\n');
    },
  });
}
