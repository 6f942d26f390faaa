/** One thing wrong with a training configuration, located as precisely as we can. */
export interface ConfigProblem {
  /** Dotted path of the key, e.g. `behaviors.SnowballTarget.hyperparameters.learning_rat`; '' for the whole file. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** 1-based line and column in the source file, when the key is written there. */
  readonly line?: number;
  readonly column?: number;
}

/** Formats a path of keys and list indices the way users write it: `curriculum[1].value`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** A configuration that cannot be used; lists every problem found, each with its path and fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The file (or other origin) the configuration came from. */
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(ConfigError.describe(source, problems));
  }

  private static describe(source: string, problems: readonly ConfigProblem[]): string {
    const lines = problems.map((p) => {
      const where = p.line !== undefined ? `${source}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : source;
      return `  ${where}  ${p.path === '' ? '' : `${p.path}: `}${p.message}`;
    });
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    return `The training configuration ${source} has ${count}:\n${lines.join('\n')}`;
  }
}
