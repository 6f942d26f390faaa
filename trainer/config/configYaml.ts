/**
 * Reads and writes config YAML the way ML-Agents users' files mean it. ML-Agents loads them with
 * PyYAML (YAML 1.1: `yes`/`on` are booleans, `1_000` is a number), so we do too; unlike PyYAML we
 * also read `2e6` and `2.0e6` as numbers (PyYAML leaves them as text and ML-Agents converts).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Tags, type ScalarTag } from 'yaml';
import { ConfigError, type ConfigProblem } from './ConfigError.js';

const BOOL = 'tag:yaml.org,2002:bool';

// PyYAML's booleans; the yaml package's 1.1 schema also takes y/n, which PyYAML reads as text.
const pyYamlTrue: ScalarTag = {
  identify: (v) => v === true,
  default: true,
  tag: BOOL,
  test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  resolve: () => true,
  stringify: () => 'true',
};
const pyYamlFalse: ScalarTag = {
  identify: (v) => v === false,
  default: true,
  tag: BOOL,
  test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  resolve: () => false,
  stringify: () => 'false',
};

function pyYamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const tag of tags) {
    const name = typeof tag === 'string' ? tag : tag.tag;
    // Dates would reach string fields (run ids) as Date objects; ML-Agents ends up with their text.
    if (name === 'tag:yaml.org,2002:timestamp') continue;
    if (name === BOOL) {
      if (!out.includes(pyYamlTrue)) out.push(pyYamlTrue, pyYamlFalse);
      continue;
    }
    out.push(tag);
  }
  return out;
}

const yamlOptions = { version: '1.1', schema: 'yaml-1.1', customTags: pyYamlTags, merge: true } as const;

/** A parsed config file: its plain data and where each key was written. */
export interface ConfigYamlDocument {
  readonly data: unknown;
  /** 1-based line/column of the key at `path`, or of its closest written ancestor; undefined if none. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

/** Parses config YAML; syntax errors become a ConfigError with line and column. */
export function parseConfigYaml(text: string, source: string): ConfigYamlDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...yamlOptions, lineCounter });
  if (doc.errors.length > 0) {
    const problems: ConfigProblem[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      // Pretty messages end with " at line L, column C:" and a code excerpt; we print the position ourselves.
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { path: '', message: `YAML syntax: ${message}`, line: pos?.line, column: pos?.col };
    });
    throw new ConfigError(source, problems);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    data,
    locate(path) {
      let node: unknown = doc.contents;
      let found: { line: number; column: number } | undefined = node && (node as Node).range ? at((node as Node).range![0]) : undefined;
      for (const part of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
          if (!pair) break;
          if (isScalar(pair.key) && pair.key.range) found = at(pair.key.range[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof part === 'number') {
          const item = node.items[part] as Node | undefined;
          if (!item) break;
          if (item.range) found = at(item.range[0]);
          node = item;
        } else {
          break;
        }
      }
      return found;
    },
  };
}

/** Writes data as YAML that parseConfigYaml (and PyYAML) read back to the same values. */
export function stringifyConfigYaml(value: unknown): string {
  return stringify(value, { ...yamlOptions, nullStr: 'null', lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false });
}
