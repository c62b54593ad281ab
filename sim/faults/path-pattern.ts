// Path patterns in fault plans: which files a fault applies to. Plain data in the plan (a string),
// compiled once when the FaultInjector is built.
//
// Syntax (documented for plan authors):
// - `re:<regex>`: a JavaScript regular expression tested against the absolute path.
// - otherwise a glob: `*` any run of characters except '/', `**` any run including '/', `?` one
//   character except '/'. A glob without '/' is matched against the base name only (`*.incr.aof`
//   matches `/data/appendonlydir/appendonly.aof.1.incr.aof`); a glob with '/' is matched against
//   the whole absolute path (`/data/**`).
// Invariant: matching is a pure function of (pattern, path).

export type PathMatcher = (path: string) => boolean;

export function compilePathPattern(pattern: string): PathMatcher {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new RangeError(`path pattern must be a non-empty string (use '**' for every file), got ${JSON.stringify(pattern)}`);
  }
  if (pattern === '**' || pattern === '*') return () => true;
  if (pattern.startsWith('re:')) {
    let re: RegExp;
    try {
      re = new RegExp(pattern.slice(3));
    } catch (e) {
      throw new RangeError(`path pattern ${JSON.stringify(pattern)}: invalid regular expression (${(e as Error).message})`);
    }
    return (path) => re.test(path);
  }
  const re = globToRegExp(pattern);
  if (!pattern.includes('/')) {
    return (path) => re.test(path.slice(path.lastIndexOf('/') + 1));
  }
  return (path) => re.test(path);
}

function globToRegExp(glob: string): RegExp {
  let src = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        src += '.*';
        i++;
      } else {
        src += '[^/]*';
      }
    } else if (ch === '?') {
      src += '[^/]';
    } else {
      src += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`${src}$`);
}
