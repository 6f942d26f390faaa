/**
 * Formats `x` with `digits` decimals exactly as Python's f"{x:0.{digits}f}", which ML-Agents' console
 * lines use. JavaScript's toFixed differs in four places: exact ties round half to even in Python
 * (0.0625 → "0.062") but away from zero in JS, Python keeps the sign of -0 and of negatives that
 * round to zero ("-0.000"), Python spells non-finite values "nan"/"inf", and toFixed switches to
 * exponent notation from 1e21.
 */
export function formatPythonFixed(x: number, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`formatPythonFixed: digits is ${digits}; pass an integer from 0 to 20`);
  }
  if (Number.isNaN(x)) return 'nan';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const ax = Math.abs(x);
  if (ax === Infinity) return `${sign}inf`;
  if (ax >= 1e21) {
    // Every double this large is an integer, and BigInt prints it digit for digit as Python does.
    return `${sign}${BigInt(ax).toString()}${digits > 0 ? '.' + '0'.repeat(digits) : ''}`;
  }
  const rounded = ax.toFixed(digits);
  // A tie needs the exact value to end in 5 right after the kept digits. Doubles below 1e21 that
  // are that close to a tie show their difference within 100 decimals, so toFixed(100) decides.
  const exact = ax.toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (rest[0] === '5' && /^50*$/.test(rest)) {
    const truncated = digits === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + digits);
    const lastDigit = Number(truncated[truncated.length - 1]);
    if (lastDigit % 2 === 0) return sign + truncated;
  }
  return sign + rounded;
}
