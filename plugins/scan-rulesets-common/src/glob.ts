import picomatch from 'picomatch/posix';

/**
 * Globs over database identifiers, not file paths. picomatch treats `/` as a path
 * separator (`*` would not cross it), but `/` is an ordinary character in a table name, so
 * both the pattern and the name have it swapped for a private-use character that no glob
 * syntax gives meaning to. Names and patterns are compared in Unicode NFC, case-insensitively.
 *
 * Negation (`!x`) is off: exclusion is what the `exclude` lists are for, and a table may
 * well be called `!important`.
 */
const SLASH_STAND_IN = '\uE000';

const OPTIONS: picomatch.PicomatchOptions = {
  nocase: true,
  dot: true,
  nonegate: true,
};

function prepare(value: string): string {
  return value.normalize('NFC').replaceAll('/', SLASH_STAND_IN);
}

export type NameMatcher = (name: string) => boolean;

function toRegExp(pattern: string): RegExp {
  return picomatch.makeRe(prepare(pattern.trim()), OPTIONS);
}

/** Compiles one glob. `*` matches any run of characters (dots included), `?` one character. */
export function compileGlob(pattern: string): NameMatcher {
  const regexp = toRegExp(pattern);
  return name => regexp.test(prepare(name));
}

/**
 * A matcher that is true when any of the globs matches; false for an empty list. The globs
 * are joined into one regular expression, so a name is normalized and tested once.
 */
export function compileGlobs(patterns: readonly string[]): NameMatcher {
  if (patterns.length === 0) return () => false;
  const sources = patterns.map(pattern => `(?:${toRegExp(pattern).source})`);
  const regexp = new RegExp(sources.join('|'), 'i');
  return name => regexp.test(prepare(name));
}

/** Why a pattern is not a usable glob, or undefined when it is. */
export function globError(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
