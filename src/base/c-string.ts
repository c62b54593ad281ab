// A byte string as C sees it: printf("%s"), strcmp and friends stop at the first NUL.

/** The bytes before the first NUL (all of them when there is none). */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
