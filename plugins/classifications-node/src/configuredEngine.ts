import { engineConfigSchema, type EngineConfigInput } from '@racine/plugin-classifications-common';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import {
  compileRules,
  prepareColumn,
  ruleLabel,
  type CompiledRule,
  type PreparedColumn,
  type RuleOutcome,
} from './customRules.js';
import { ClassificationEngine, classifyPreparedColumn } from './engine.js';
import type { Category, Classifier, ColumnInfo, Label, Sensitivity } from './types.js';

/** Anything that labels columns: the plain engine, or one built from a configuration. */
export interface ColumnClassifier {
  classifyColumn(column: ColumnInfo, values: readonly unknown[]): Label[];
}

export interface BuildEngineOptions {
  /**
   * Which classifiers and custom rules may attach labels, e.g. a scan rule set's selection.
   * Custom rules left out still answer as operands of composites that are selected.
   */
  select?: (classifier: { id: string; categories: readonly Category[] }) => boolean;
  /** Global floor on top of every threshold (a rule set's `minConfidence`). */
  minConfidence?: number;
  /** Maximum labels per column from the built-in classifiers (default 2). */
  maxLabels?: number;
  maxDistinctValues?: number;
  /** The built-in classifiers the configuration's overrides apply to (default all). */
  builtins?: readonly Classifier[];
}

/** A classifier or custom rule of a configured engine, as a list shows it. */
export interface ConfiguredClassifier {
  id: string;
  kind: 'builtin' | 'custom';
  name: string;
  categories: readonly Category[];
  sensitivity: Sensitivity;
  threshold: number;
  /** Whether it attaches labels (enabled and selected). */
  labels: boolean;
}

/** Applies a configuration's overrides to a built-in classifier (a copy; the original is untouched). */
function withOverrides(
  classifier: Classifier,
  override:
    { threshold?: number; sensitivity?: Sensitivity; categories?: readonly Category[] } | undefined,
): Classifier {
  if (
    !override ||
    (override.threshold === undefined && !override.sensitivity && !override.categories)
  )
    return classifier;
  return {
    ...classifier,
    threshold: override.threshold ?? classifier.threshold,
    sensitivity: override.sensitivity ?? classifier.sensitivity,
    categories: override.categories ?? classifier.categories,
  };
}

/**
 * The engine as stewards configured it: built-in classifiers with their overrides (enabled,
 * threshold, sensitivity, categories) plus the custom rules. Immutable and reusable; build it
 * once per configuration revision (scans build one per run).
 */
export class ConfiguredEngine implements ColumnClassifier {
  readonly revision: string;
  /** The built-in classifiers that attach labels. */
  readonly engine: ClassificationEngine;
  readonly rules: ReadonlyMap<string, CompiledRule>;
  private readonly labellingRules: CompiledRule[];
  /** Built-in classifiers by id, with overrides, for composites that refer to them. */
  private readonly builtinsById: ReadonlyMap<string, Classifier>;
  private readonly operandEngines = new Map<string, ClassificationEngine>();
  private readonly minConfidence: number;
  private readonly maxDistinct: number;
  private readonly selectedBuiltins: ReadonlySet<string>;

  constructor(config: EngineConfigInput, options: BuildEngineOptions = {}) {
    const parsed = engineConfigSchema.parse(config);
    this.revision = parsed.revision;
    this.minConfidence = options.minConfidence ?? 0;
    this.maxDistinct = options.maxDistinctValues ?? 1000;
    const select = options.select ?? (() => true);
    const builtins = (options.builtins ?? BUILTIN_CLASSIFIERS).map(c =>
      withOverrides(c, parsed.classifiers[c.id]),
    );
    this.builtinsById = new Map(builtins.map(c => [c.id, c]));
    const labelling = builtins.filter(
      c => parsed.classifiers[c.id]?.enabled !== false && select(c),
    );
    this.selectedBuiltins = new Set(labelling.map(c => c.id));
    this.engine = new ClassificationEngine(labelling, {
      minConfidence: options.minConfidence,
      maxLabels: options.maxLabels,
      maxDistinctValues: options.maxDistinctValues,
    });
    this.rules = compileRules(parsed.rules);
    for (const id of this.rules.keys()) {
      if (this.builtinsById.has(id))
        throw new Error(`Custom rule ${id} has the id of a built-in classifier`);
    }
    this.labellingRules = [...this.rules.values()].filter(r => r.enabled && select(r));
  }

  /** Every built-in classifier and custom rule, and whether it attaches labels. */
  get classifiers(): ConfiguredClassifier[] {
    return [
      ...[...this.builtinsById.values()].map(c => ({
        id: c.id,
        kind: 'builtin' as const,
        name: c.name,
        categories: c.categories,
        sensitivity: c.sensitivity,
        threshold: c.threshold,
        labels: this.selectedBuiltins.has(c.id),
      })),
      ...[...this.rules.values()].map(r => ({
        id: r.id,
        kind: 'custom' as const,
        name: r.name,
        categories: r.categories,
        sensitivity: r.sensitivity,
        threshold: r.threshold,
        labels: this.labellingRules.includes(r),
      })),
    ];
  }

  /** Labels of the built-in classifiers and of the custom rules that fire, best first. */
  classifyColumn(column: ColumnInfo, values: readonly unknown[]): Label[] {
    if (this.labellingRules.length === 0) return this.engine.classifyColumn(column, values);
    // The engine and the rules share one pass over the values.
    const prepared = prepareColumn(column, values, this.maxDistinct);
    const labels = classifyPreparedColumn(this.engine, prepared);
    const evaluation = this.evaluation(prepared, labels);
    for (const rule of this.labellingRules) {
      const outcome = evaluation.outcome(rule.id)!;
      if (outcome.fired && outcome.confidence >= this.minConfidence)
        labels.push(ruleLabel(rule, outcome));
    }
    return labels.sort((a, b) => b.confidence - a.confidence);
  }

  /**
   * How one custom rule answers for a column (fired or not), with its evidence and, for value
   * rules, whether each given value matched. Used to test a rule before saving it.
   */
  explainRule(
    ruleId: string,
    column: ColumnInfo,
    values: readonly unknown[],
  ): RuleOutcome & { matches?: boolean[] } {
    const rule = this.rules.get(ruleId);
    if (!rule) throw new Error(`Unknown custom rule ${ruleId}`);
    const outcome = this.evaluation(prepareColumn(column, values, this.maxDistinct)).outcome(
      ruleId,
    )!;
    return rule.matchValue
      ? { ...outcome, matches: values.map(v => rule.matchValue!(v)) }
      : outcome;
  }

  /** Memoized rule outcomes for one column; built-in operands run on demand. */
  private evaluation(prepared: PreparedColumn, labels?: readonly Label[]) {
    const outcomes = new Map<string, RuleOutcome | undefined>();
    const resolve = (ref: string): RuleOutcome | undefined => {
      if (outcomes.has(ref)) return outcomes.get(ref);
      outcomes.set(ref, undefined); // guards against cycles (compileRules refuses them anyway)
      let outcome: RuleOutcome | undefined;
      const rule = this.rules.get(ref);
      if (rule) outcome = rule.evaluate(prepared, resolve);
      else if (this.builtinsById.has(ref)) outcome = this.builtinOutcome(ref, prepared, labels);
      outcomes.set(ref, outcome);
      return outcome;
    };
    return { outcome: resolve };
  }

  /**
   * A built-in classifier as an operand: does it, on its own, label the column? Taken from the
   * engine's labels when it attached one, else from a single-classifier engine.
   */
  private builtinOutcome(
    id: string,
    prepared: PreparedColumn,
    labels: readonly Label[] | undefined,
  ): RuleOutcome {
    const classifier = this.builtinsById.get(id)!;
    let label = labels?.find(l => l.classifierId === id);
    if (!label) {
      let engine = this.operandEngines.get(id);
      if (!engine) {
        engine = new ClassificationEngine([classifier], {
          maxLabels: 1,
          maxDistinctValues: this.maxDistinct,
        });
        this.operandEngines.set(id, engine);
      }
      label = classifyPreparedColumn(engine, prepared)[0];
    }
    if (label)
      return {
        fired: true,
        confidence: label.confidence,
        threshold: classifier.threshold,
        evidence: label.evidence,
      };
    return {
      fired: false,
      confidence: 0,
      threshold: classifier.threshold,
      evidence: {
        sampledValues: prepared.sampled,
        distinctValues: prepared.texts.length,
        matchShare: null,
        contextWords: [],
        negativeSignals: [],
        examples: [],
        summary: `${id} does not label the column`,
      },
    };
  }
}

/**
 * Builds the engine a configuration describes (`GET /api/classifications/engine-config`), so
 * every process that classifies (scans, the classifications plugin) applies the same overrides
 * and custom rules. `options.select` narrows it to a scan rule set's classifiers.
 */
export function buildEngine(
  config: EngineConfigInput,
  options: BuildEngineOptions = {},
): ConfiguredEngine {
  return new ConfiguredEngine(config, options);
}

/** The engine of an empty configuration: every built-in classifier with its defaults. */
export const DEFAULT_ENGINE_CONFIG: EngineConfigInput = {
  revision: 'default',
  classifiers: {},
  rules: [],
  autoApproveConfidence: null,
};
