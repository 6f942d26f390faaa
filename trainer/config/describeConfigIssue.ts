/**
 * Turns zod's validation issues into sentences for people editing YAML: the path, what was
 * expected, the value that came, and a did-you-mean where one helps.
 */
import type { z } from 'zod';
import { didYouMean } from './didYouMean.js';
import { formatConfigPath, type ConfigProblem } from './ConfigError.js';

/** The value at `path` inside `root`, or undefined when the path does not exist. */
export function valueAtPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** Describes a value the way it appeared in YAML. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty mapping' : `a mapping (with ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', ...' : ''})`;
  }
  return String(value);
}

const expectedNames: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  string: 'text',
  object: 'a mapping (indented `key: value` lines)',
  array: 'a list',
  tuple: 'a list',
  record: 'a mapping (indented `key: value` lines)',
  nonoptional: 'a value',
};

function bound(issue: { origin: string; inclusive?: boolean }, small: boolean, limit: unknown): string {
  switch (issue.origin) {
    case 'array':
    case 'set':
      return small ? `at least ${String(limit)} item(s)` : `at most ${String(limit)} item(s)`;
    case 'string':
      return small ? `text of at least ${String(limit)} character(s)` : `text of at most ${String(limit)} character(s)`;
    default: {
      const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return `a number ${op} ${String(limit)}`;
    }
  }
}

/** Finds where a key path is written in the source file. */
export type LocateConfigPath = (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;

/**
 * The problems (usually one; one per key for unknown keys) for a zod issue found while validating
 * `root`, which sits at `basePath` in the file. `locate` adds line and column when given.
 */
export function describeConfigIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
  basePath: readonly PropertyKey[] = [],
  locate?: LocateConfigPath,
): ConfigProblem[] {
  const fullPath = [...basePath, ...issue.path];
  const problem = (path: readonly PropertyKey[], message: string): ConfigProblem => {
    const at = locate?.(path);
    return at ? { path: formatConfigPath(path), message, line: at.line, column: at.column } : { path: formatConfigPath(path), message };
  };
  if (issue.code === 'unrecognized_keys') {
    // configSection wrote one line per key (it knows the section's keys); report each at its own path.
    const lines = issue.message.split('\n');
    return issue.keys.map((key, i) => problem([...fullPath, key], lines[i] ?? issue.message));
  }
  return [problem(fullPath, explain(issue, valueAtPath(root, issue.path)))];
}

function explain(issue: z.core.$ZodIssue, value: unknown): string {
  const got = describeValue(value);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedNames[issue.expected] ?? issue.expected;
      if (value === undefined) return `is required: expected ${expected}`;
      const hint = value === null ? '; remove the key to use the default' : '';
      return `expected ${expected}, got ${got}${hint}`;
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => `\`${String(v)}\``).join(', ');
      const close = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      return `expected one of ${options}, got ${got}${close !== undefined ? `; did you mean \`${close}\`?` : ''}`;
    }
    case 'too_small':
      return `expected ${bound(issue, true, issue.minimum)}, got ${got}`;
    case 'too_big':
      return `expected ${bound(issue, false, issue.maximum)}, got ${got}`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message} (got ${got})`;
  }
}
