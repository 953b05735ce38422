// Coin amounts arrive as decimal strings or JSON numbers; float arithmetic would invent
// dust, so differences are computed on scaled integers.
const SCALE = 18;

/** A JSON number or string as a plain decimal string (never exponent notation). */
export function toDecimalString(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return null;
    // String() is the shortest text that round-trips: what the provider's JSON said, with no
    // float noise (toFixed would print 123456789.123 as 123456789.123000001907).
    return expandExponent(String(v));
  }
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return trimZeros(v.trim());
  if (typeof v === 'string' && /^\d+(\.\d+)?e[+-]?\d+$/i.test(v.trim())) return expandExponent(v.trim());
  return null;
}

/** "1.5e-7" → "0.00000015", "2e+21" → "2000000000000000000000", done on the digits, not in floats. */
function expandExponent(s: string): string {
  const m = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) return trimZeros(s);
  let digits = m[1]! + (m[2] ?? '');
  let point = m[1]!.length + Number(m[3] ?? 0);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  return trimZeros(`${int}.${digits.slice(point)}`);
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  const t = s.replace(/0+$/, '').replace(/\.$/, '');
  return t === '' ? '0' : t;
}

function toScaled(s: string): bigint {
  const [int = '0', frac = ''] = s.split('.');
  return BigInt(int + frac.padEnd(SCALE, '0').slice(0, SCALE));
}

function fromScaled(n: bigint): string {
  const neg = n < 0n;
  const abs = (neg ? -n : n).toString().padStart(SCALE + 1, '0');
  const out = trimZeros(`${abs.slice(0, -SCALE)}.${abs.slice(-SCALE)}`);
  return neg ? `-${out}` : out;
}

/** a − b for non-negative decimal strings; null when either is missing. */
export function subtractDecimal(a: string | null | undefined, b: string | null | undefined): string | null {
  if (a == null || b == null) return null;
  return fromScaled(toScaled(a) - toScaled(b));
}

export function compareDecimal(a: string, b: string): number {
  const d = toScaled(a) - toScaled(b);
  return d === 0n ? 0 : d > 0n ? 1 : -1;
}
