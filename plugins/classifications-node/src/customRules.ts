import {
  customRuleDefinitionSchema,
  engineRuleSchema,
  expressionRefs,
  type CompositeExpression,
  type CustomRuleDefinition,
  type EngineRule,
} from '@racine/plugin-classifications-common';
import { dictionaryKey } from './dictionaries/index.js';
import { maskHead, maskKeepEnds } from './mask.js';
import { tokenizeName, valueToText } from './text.js';
import type { Category, ColumnInfo, Evidence, Label, Sensitivity } from './types.js';

/**
 * Custom rules written by data stewards: regular expressions on values or on column/table names,
 * dictionaries (uploaded lists, case- and accent-folded) and composites (AND / OR / NOT of other
 * rules or of built-in classifiers). Unlike the built-in classifiers, whose confidence blends
 * value and name evidence, a custom rule's confidence is simple enough to reason about when
 * setting its threshold:
 *
 * | type          | confidence                                                       |
 * | ------------- | ---------------------------------------------------------------- |
 * | `value_regex` | share of distinct non-empty values matching (0 below `minDistinct`) |
 * | `dictionary`  | share of distinct non-empty values found in the list             |
 * | `name_regex`  | `confidence` when the name matches, else 0                       |
 * | `composite`   | AND = lowest operand, OR = highest firing operand, NOT = 1 − fired |
 *
 * A rule fires when its confidence reaches its threshold. Examples in evidence are masked.
 */

/** Values longer than this are not tested against custom regular expressions (never match). */
export const MAX_REGEX_INPUT = 512;

/** A column prepared once for every rule: distinct non-empty texts, as the engine sees them. */
export interface PreparedColumn {
  column: ColumnInfo;
  texts: string[];
  /** Non-empty values sampled (before de-duplication). */
  sampled: number;
}

export function prepareColumn(
  column: ColumnInfo,
  values: readonly unknown[],
  maxDistinct = 1000,
): PreparedColumn {
  const seen = new Set<string>();
  let sampled = 0;
  for (let i = 0; i < values.length; i++) {
    const text = valueToText(values[i]);
    if (text === undefined) continue;
    sampled++;
    if (seen.size < maxDistinct) seen.add(text);
  }
  return { column, texts: [...seen], sampled };
}

export interface RuleOutcome {
  /** Whether the rule fires (confidence at or above its threshold). */
  fired: boolean;
  confidence: number;
  threshold: number;
  evidence: Evidence;
  /** Composite rules: each operand's answer. */
  operands?: { ref: string; fired: boolean; confidence: number }[];
}

/** Answers a composite's reference to another rule or to a built-in classifier. */
export type OperandResolver = (ref: string) => RuleOutcome | undefined;

/** A custom rule ready to evaluate. */
export interface CompiledRule {
  id: string;
  version: number;
  name: string;
  description: string;
  categories: readonly Category[];
  sensitivity: Sensitivity;
  /** False for rules that only serve as operands of composites. */
  enabled: boolean;
  definition: CustomRuleDefinition;
  threshold: number;
  /** Ids of the rules and classifiers a composite refers to (empty otherwise). */
  refs: ReadonlySet<string>;
  evaluate(column: PreparedColumn, resolve: OperandResolver): RuleOutcome;
  /** Per value, whether it matches (value rules only; undefined for name and composite rules). */
  matchValue?(value: unknown): boolean;
}

export class RuleCompileError extends Error {}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function emptyEvidence(column: PreparedColumn): Evidence {
  return {
    sampledValues: column.sampled,
    distinctValues: column.texts.length,
    matchShare: null,
    contextWords: [],
    negativeSignals: [],
    examples: [],
    summary: '',
  };
}

/**
 * Compiles a regular expression of a custom rule. Always unicode (`u`); case-insensitive unless
 * asked. Syntax errors become RuleCompileError naming the pattern.
 */
export function compileRulePattern(pattern: string, caseSensitive: boolean): RegExp {
  try {
    return new RegExp(pattern, caseSensitive ? 'u' : 'iu');
  } catch (error) {
    throw new RuleCompileError(
      `Invalid regular expression /${pattern}/: ${(error as Error).message}`,
    );
  }
}

/** Shared scoring of value rules: confidence = share of distinct values matching. */
function valueRule(
  threshold: number,
  minDistinct: number,
  test: (text: string) => boolean,
  mask: (text: string) => string,
  describe: (matched: number, d: number, share: number) => string,
  dictionary?: string,
): Pick<CompiledRule, 'evaluate' | 'matchValue'> {
  return {
    evaluate(column) {
      const evidence = emptyEvidence(column);
      const d = column.texts.length;
      let matched = 0;
      for (const text of column.texts) {
        if (!test(text)) continue;
        if (evidence.examples.length < 3) evidence.examples.push(mask(text));
        matched++;
      }
      if (d < minDistinct) {
        evidence.examples = [];
        evidence.negativeSignals.push(
          d === 0
            ? 'no values sampled'
            : `only ${d} distinct value(s); the rule needs ${minDistinct}`,
        );
        evidence.summary = d === 0 ? 'no values sampled' : `only ${d} distinct value(s) sampled`;
        return { fired: false, confidence: 0, threshold, evidence };
      }
      const share = matched / d;
      evidence.matchShare = round3(share);
      if (dictionary && matched > 0) evidence.dictionary = { name: dictionary, hits: matched };
      evidence.summary = describe(matched, d, share);
      const confidence = round3(share);
      return { fired: matched > 0 && confidence >= threshold, confidence, threshold, evidence };
    },
    matchValue(value) {
      const text = valueToText(value);
      return text !== undefined && test(text);
    },
  };
}

function compileDefinition(
  id: string,
  definition: CustomRuleDefinition,
): Pick<CompiledRule, 'evaluate' | 'matchValue'> {
  switch (definition.type) {
    case 'value_regex': {
      const re = compileRulePattern(definition.pattern, definition.caseSensitive);
      return valueRule(
        definition.threshold,
        definition.minDistinct,
        text => text.length <= MAX_REGEX_INPUT && re.test(text),
        text => maskKeepEnds(text, 2, 2),
        (matched, d, share) =>
          `${matched} of ${d} distinct values match /${definition.pattern}/ (${pct(share)})`,
      );
    }
    case 'dictionary': {
      const terms = new Set(definition.terms.map(dictionaryKey).filter(t => t.length > 0));
      const name = `${id} list (${terms.size} terms)`;
      const test =
        definition.match === 'word'
          ? (text: string) =>
              terms.has(dictionaryKey(text)) || tokenizeName(text).some(t => terms.has(t))
          : (text: string) => terms.has(dictionaryKey(text));
      return valueRule(
        definition.threshold,
        definition.minDistinct,
        test,
        maskHead,
        (matched, d, share) =>
          `${matched} of ${d} distinct values found in ${name} (${pct(share)})`,
        name,
      );
    }
    case 'name_regex': {
      const re = compileRulePattern(definition.pattern, definition.caseSensitive);
      const { target, threshold } = definition;
      return {
        evaluate(column) {
          const evidence = emptyEvidence(column);
          const { name, tableName } = column.column;
          const onColumn = target !== 'table' && re.test(name);
          const onTable =
            !onColumn && target !== 'column' && tableName.length > 0 && re.test(tableName);
          if (onColumn) evidence.nameMatch = { source: 'column', term: name, strength: 'strong' };
          if (onTable) evidence.contextWords.push(tableName);
          const confidence = onColumn || onTable ? definition.confidence : 0;
          evidence.summary = onColumn
            ? `column name '${name}' matches /${definition.pattern}/`
            : onTable
              ? `table name '${tableName}' matches /${definition.pattern}/`
              : `${target === 'table' ? 'table name' : target === 'column' ? 'column name' : 'neither column nor table name'} does not match /${definition.pattern}/`;
          return {
            fired: confidence > 0 && confidence >= threshold,
            confidence,
            threshold,
            evidence,
          };
        },
      };
    }
    case 'composite': {
      const { expression, threshold } = definition;
      return {
        evaluate(column, resolve) {
          const operands = new Map<string, RuleOutcome>();
          const node = evaluateExpression(expression, resolve, operands);
          const evidence = emptyEvidence(column);
          // Evidence of the operands that support the label (never of negated ones).
          for (const outcome of supporting(expression, operands)) {
            const e = outcome.evidence;
            if (evidence.matchShare === null && e.matchShare !== null)
              evidence.matchShare = e.matchShare;
            evidence.validator ??= e.validator;
            evidence.dictionary ??= e.dictionary;
            evidence.nameMatch ??= e.nameMatch;
            for (const w of e.contextWords)
              if (!evidence.contextWords.includes(w)) evidence.contextWords.push(w);
            for (const x of e.examples)
              if (evidence.examples.length < 3 && !evidence.examples.includes(x))
                evidence.examples.push(x);
          }
          for (const outcome of operands.values()) {
            for (const s of outcome.evidence.negativeSignals) {
              if (!evidence.negativeSignals.includes(s)) evidence.negativeSignals.push(s);
            }
          }
          evidence.summary = describeExpression(expression, operands);
          const confidence = round3(node.confidence);
          return {
            fired: node.fired && confidence >= threshold,
            confidence,
            threshold,
            evidence,
            operands: [...operands].map(([ref, o]) => ({
              ref,
              fired: o.fired,
              confidence: o.confidence,
            })),
          };
        },
      };
    }
  }
}

const NOT_FOUND: RuleOutcome = {
  fired: false,
  confidence: 0,
  threshold: 1,
  evidence: {
    sampledValues: 0,
    distinctValues: 0,
    matchShare: null,
    contextWords: [],
    negativeSignals: [],
    examples: [],
    summary: 'unknown rule or classifier',
  },
};

function evaluateExpression(
  expression: CompositeExpression,
  resolve: OperandResolver,
  operands: Map<string, RuleOutcome>,
): { fired: boolean; confidence: number } {
  if ('ref' in expression) {
    let outcome = operands.get(expression.ref);
    if (!outcome) {
      outcome = resolve(expression.ref) ?? NOT_FOUND;
      operands.set(expression.ref, outcome);
    }
    return { fired: outcome.fired, confidence: outcome.fired ? outcome.confidence : 0 };
  }
  const parts = expression.of.map(child => evaluateExpression(child, resolve, operands));
  switch (expression.op) {
    case 'and':
      return {
        fired: parts.every(p => p.fired),
        confidence: Math.min(...parts.map(p => p.confidence)),
      };
    case 'or': {
      const fired = parts.filter(p => p.fired);
      return { fired: fired.length > 0, confidence: Math.max(0, ...fired.map(p => p.confidence)) };
    }
    case 'not':
      return parts[0]!.fired ? { fired: false, confidence: 0 } : { fired: true, confidence: 1 };
  }
}

/** Outcomes of the fired operands outside NOT branches. */
function supporting(
  expression: CompositeExpression,
  operands: Map<string, RuleOutcome>,
): RuleOutcome[] {
  if ('ref' in expression) {
    const outcome = operands.get(expression.ref);
    return outcome?.fired ? [outcome] : [];
  }
  if (expression.op === 'not') return [];
  return expression.of.flatMap(child => supporting(child, operands));
}

function describeExpression(
  expression: CompositeExpression,
  operands: Map<string, RuleOutcome>,
): string {
  if ('ref' in expression) {
    const o = operands.get(expression.ref);
    return `${expression.ref} ${o?.fired ? `fired (${o.confidence})` : 'did not fire'}`;
  }
  const inner = expression.of.map(child => describeExpression(child, operands));
  if (expression.op === 'not') return `not [${inner[0]}]`;
  return `${expression.op === 'and' ? 'all of' : 'any of'} [${inner.join('; ')}]`;
}

/** Compiles one rule (validated with the shared schema first). */
export function compileRule(rule: EngineRule): CompiledRule {
  const parsed = engineRuleSchema.parse(rule);
  const definition = customRuleDefinitionSchema.parse(parsed.definition);
  return {
    id: parsed.id,
    version: parsed.version,
    name: parsed.name,
    description: parsed.description,
    categories: parsed.categories,
    sensitivity: parsed.sensitivity,
    enabled: parsed.enabled,
    definition,
    threshold: definition.threshold,
    refs: definition.type === 'composite' ? expressionRefs(definition.expression) : new Set(),
    ...compileDefinition(parsed.id, definition),
  };
}

/**
 * Compiles a set of rules and checks that composites form no cycle (a rule that refers, through
 * other composites, to itself). Throws RuleCompileError naming the cycle.
 */
export function compileRules(rules: readonly EngineRule[]): Map<string, CompiledRule> {
  const compiled = new Map<string, CompiledRule>();
  for (const rule of rules) {
    if (compiled.has(rule.id)) throw new RuleCompileError(`Duplicate custom rule id: ${rule.id}`);
    compiled.set(rule.id, compileRule(rule));
  }
  const cycle = findCycle(compiled);
  if (cycle)
    throw new RuleCompileError(
      `Composite rules refer to each other in a cycle: ${cycle.join(' → ')}`,
    );
  return compiled;
}

/** A cycle among composite references, as the list of ids along it, or undefined. */
export function findCycle(
  rules: ReadonlyMap<string, { refs: ReadonlySet<string> }>,
): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const s = state.get(id);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...path.slice(path.indexOf(id)), id];
    const rule = rules.get(id);
    if (!rule) return undefined;
    state.set(id, 'visiting');
    path.push(id);
    for (const ref of rule.refs) {
      const found = visit(ref);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of rules.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}

/** A custom rule's outcome as a label (for rules that fire). */
export function ruleLabel(rule: CompiledRule, outcome: RuleOutcome): Label {
  return {
    classifierId: rule.id,
    confidence: outcome.confidence,
    sensitivity: rule.sensitivity,
    categories: rule.categories,
    evidence: outcome.evidence,
  };
}

/** One line describing what a rule definition matches, for lists. */
export function summarizeRuleDefinition(definition: CustomRuleDefinition): string {
  switch (definition.type) {
    case 'value_regex':
      return `values match /${definition.pattern}/${definition.caseSensitive ? '' : 'i'} (≥ ${pct(definition.threshold)} of distinct values)`;
    case 'name_regex': {
      const what = {
        column: 'column name',
        table: 'table name',
        column_or_table: 'column or table name',
      }[definition.target];
      return `${what} matches /${definition.pattern}/${definition.caseSensitive ? '' : 'i'}`;
    }
    case 'dictionary':
      return `values ${definition.match === 'word' ? 'or their words ' : ''}in a list of ${definition.terms.length} terms (≥ ${pct(definition.threshold)} of distinct values)`;
    case 'composite':
      return describeShape(definition.expression);
  }
}

function describeShape(expression: CompositeExpression): string {
  if ('ref' in expression) return expression.ref;
  const inner = expression.of.map(describeShape);
  if (expression.op === 'not') return `NOT ${inner[0]}`;
  return `(${inner.join(expression.op === 'and' ? ' AND ' : ' OR ')})`;
}
