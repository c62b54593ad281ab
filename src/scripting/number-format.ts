// C's printf "%.<P>g" for doubles, as glibc prints them: the number formats Redis's Lua uses.
// Lua 5.1 (Redis's VM) formats numbers with LUA_NUMBER_FMT "%.14g" (tostring, `..`, and 4.0's
// redis.call arguments through lua_tolstring); Redis 7.0 converts a number argument of redis.call
// with "%.17g" (observed on 7.0.15: redis.call('set','f',1/3) stores 0.33333333333333331).
// Invariant: pure; NaN prints as "-nan" (0/0 on x86-64 yields the negative default NaN, which glibc
// prints with its sign; observed: EVAL "return tostring(0/0)" 0 -> -nan on 7.0.15).

/** printf("%.<precision>g", x). */
export function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return '-nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [mant, e] = x.toExponential(p - 1).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
