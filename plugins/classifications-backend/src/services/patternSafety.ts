import { InputError } from '@backstage/errors';
import { compileRulePattern, RuleCompileError } from '@racine/plugin-classifications-node';

/**
 * Custom rules run stewards' regular expressions on sampled values inside scans, so a pattern
 * that backtracks catastrophically (`(a+)+b`) would stall a scan worker. Before a pattern is
 * saved or tested, recheck (automata-based ReDoS analysis) must prove it runs in at most
 * quadratic time; values are also capped at 512 characters by the engine.
 */
export interface PatternChecker {
  /** Throws InputError (400) naming `field` when the pattern is invalid or unsafe. */
  assertSafe(pattern: string, caseSensitive: boolean, field: string): Promise<void>;
}

const MAX_DEGREE = 2;
const CACHE_SIZE = 500;

export class RecheckPatternChecker implements PatternChecker {
  private readonly verdicts = new Map<string, string | null>();

  constructor(private readonly options: { timeoutMs: number } = { timeoutMs: 5000 }) {}

  async assertSafe(pattern: string, caseSensitive: boolean, field: string): Promise<void> {
    try {
      compileRulePattern(pattern, caseSensitive);
    } catch (error) {
      if (error instanceof RuleCompileError)
        throw new InputError(`Invalid definition: ${field}: ${error.message}`);
      throw error;
    }
    const flags = caseSensitive ? 'u' : 'iu';
    const key = `${flags}/${pattern}`;
    let problem = this.verdicts.get(key);
    if (problem === undefined) {
      problem = await this.analyse(pattern, flags);
      if (this.verdicts.size >= CACHE_SIZE)
        this.verdicts.delete(this.verdicts.keys().next().value!);
      this.verdicts.set(key, problem);
    }
    if (problem) throw new InputError(`Invalid definition: ${field}: /${pattern}/ ${problem}`);
  }

  /** Null when safe, else why the pattern is refused. */
  private async analyse(pattern: string, flags: string): Promise<string | null> {
    // Loaded on first use: the analyser is large and only rule authors need it.
    const { check } = await import('recheck');
    const result = await check(pattern, flags, { timeout: this.options.timeoutMs });
    if (result.status === 'safe') return null;
    if (result.status === 'vulnerable') {
      const { complexity } = result;
      if (complexity.type === 'polynomial' && complexity.degree <= MAX_DEGREE) return null;
      const how =
        complexity.type === 'exponential'
          ? 'exponential'
          : `polynomial (degree ${complexity.degree})`;
      return `can take ${how} time on some values; rewrite it without nested or overlapping repetitions (e.g. (a+)+, (a|a)*, .*x.*y)`;
    }
    const reason =
      result.error.kind === 'timeout'
        ? 'the analysis timed out'
        : 'message' in result.error
          ? result.error.message
          : result.error.kind;
    return `could not be proven safe from catastrophic backtracking (${reason}); simplify it`;
  }
}
