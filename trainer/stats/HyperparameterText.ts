/**
 * A behavior's settings as the indented text ML-Agents prints to the console and stores as the
 * "Hyperparameters" text summary in TensorBoard (stats.py _dict_to_str): one "key:\tvalue" line per
 * entry, nested mappings on the following lines indented by two more spaces, values as Python's
 * str() shows them. JavaScript does not keep 1.0 apart from 1, so whole numbers print as integers.
 */
export function hyperparametersToText(settings: Readonly<Record<string, unknown>>): string {
  return nestedToText(settings, 0);
}

function nestedToText(value: unknown, depth: number): string {
  if (!isPlainMapping(value)) return pythonStr(value);
  const lines = Object.entries(value).map(([key, inner]) => `\t${'  '.repeat(depth)}${key}:\t${nestedToText(inner, depth + 1)}`);
  return (depth > 0 ? '\n' : '') + lines.join('\n');
}

function isPlainMapping(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Python's str() of a value that came from YAML/JSON. */
function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's repr(), which str() of a list applies to its items. */
function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumberRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isPlainMapping(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonStringRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}

/**
 * Python's float repr: the same shortest round-trip digits as JavaScript, but in exponent form when
 * the decimal exponent is below -4 or at least 16 ("1e-05", "1e+16"), else positional.
 */
function pythonNumberRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return Object.is(x, -0) ? '-0' : String(x);
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction.length > 0 ? fraction : '0'}`;
}
