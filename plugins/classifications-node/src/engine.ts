import { z } from 'zod';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import {
  columnContext,
  compileNameRules,
  scoreName,
  type CompiledNameRules,
  type NameScore,
} from './names.js';
import { detectSignals, type ColumnSignals } from './negatives.js';
import { computeShape, newShape, valueToText, words } from './text.js';
import {
  CATEGORIES,
  SENSITIVITY_ORDER,
  SHAPE_ONLY,
  type Category,
  type Classifier,
  type ColumnInfo,
  type EngineOptions,
  type Evidence,
  type Label,
  type NegativeSignal,
  type Sensitivity,
  type ValueMatcher,
  type ValueShape,
} from './types.js';

const unit = z.number().min(0).max(1);

/** Runtime validation of engine options (they often come from configuration files). */
export const engineOptionsSchema = z.object({
  enabled: z.array(z.string()).optional(),
  disabled: z.array(z.string()).optional(),
  thresholds: z.record(z.string(), unit).optional(),
  sensitivities: z
    .record(z.string(), z.enum(SENSITIVITY_ORDER as [Sensitivity, ...Sensitivity[]]))
    .optional(),
  minConfidence: unit.optional(),
  maxLabels: z.number().int().min(1).max(10).optional(),
  maxDistinctValues: z.number().int().min(1).optional(),
});

/**
 * Column-name tokens that say "this is an identifier, amount or timestamp of something else".
 * Without a positive name match they halve weak value evidence (not checksum-validated values).
 */
const NON_PERSONAL_NAME_TOKENS = new Set(
  words(`
  id ids sku order orders invoice product item isbn ean upc gtin version build timestamp ts
  created updated modified count qty quantity price amount total status uuid guid seq sequence
  year term semester batch lot serial tracking ref reference txn transaction ticket checksum sha
  md5 etag commit revision rev score rating rank index idx offset duration elapsed epoch unix
  millis level priority port pid shipment parcel sku barcode model part catalog catalogue stock
  weight height width length size percent pct ratio rate cost fee tax discount balance
`),
);

/** Value evidence at or above this strength is self-evident (checksum-validated or unmistakable format). */
const STRONG_VALUE = 0.9;
const BOOLEAN_TYPE_RE = /^\s*(?:bool|boolean|bit(?:\(1\))?|tinyint\(1\))\s*$/i;
/** Number of distinct `ValueShape.flags` values (14 flag bits). */
const FLAG_COMBINATIONS = 1 << 14;
/** Single-value strength that the per-value fast paths report. */
const CONFIDENT_VALUE = 0.5;
/** Mean strength from which a format needs only a minority of the column to count. */
const SELF_EVIDENT = 0.8;
/** Two labels conflict when more than this share of the smaller one's matches are shared. */
const OVERLAP_LIMIT = 0.2;

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** Linear ramp from 0 at `lo` to 1 at `hi`. */
function ramp(x: number, lo: number, hi: number): number {
  return clamp01((x - lo) / (hi - lo));
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

interface Entry {
  classifier: Classifier;
  threshold: number;
  sensitivity: Sensitivity;
  names: CompiledNameRules;
  value: ValueMatcher | undefined;
  requires: number;
  forbids: number;
}

/** Per-classifier accumulators for one column, indexed like `entries`. */
interface Tallies {
  matched: Int32Array;
  strengthSum: Float64Array;
  /** Matches with strength ≥ 0.5 (dictionary hits, validated values). */
  strong: Int32Array;
  shapeOnly: Int32Array;
  /** Up to three example value positions per classifier, `-1` when unused. */
  examples: Int32Array;
}

interface Candidate {
  index: number;
  entry: Entry;
  name: NameScore;
  confidence: number;
}

export interface ValueMatch {
  classifierId: string;
  /** Strength of the single-value evidence (0..1). */
  strength: number;
}

export interface ValueScan {
  /** Non-empty values examined. */
  values: number;
  /** Values whose strongest match was each classifier (only matches with strength ≥ 0.5 count). */
  matches: Record<string, number>;
}

/**
 * Scores columns against a set of classifiers. Instances are immutable and reusable; all
 * per-column state lives on the stack of `classifyColumn`, except one scratch shape object
 * (so an instance must not be shared between worker threads, which JavaScript prevents anyway).
 */
export class ClassificationEngine {
  private readonly entries: Entry[];
  private readonly valueEntries: Entry[];
  /** Value entries able to reach `CONFIDENT_VALUE` on a single value (used by the fast paths). */
  private readonly confidentEntries: Entry[];
  /** Position of each value entry in `entries`. */
  private readonly valueIndex: number[];
  private readonly minConfidence: number;
  private readonly maxLabels: number;
  private readonly maxDistinct: number;
  private readonly scratch: ValueShape = newShape();
  /**
   * Per character-flag combination, the positions (in `valueEntries` / `confidentEntries`) of
   * matchers whose `requires`/`forbids` pre-filters pass; filled lazily. Saves re-checking 48
   * bitmasks for every value.
   */
  private readonly candidatesAll: (Int32Array | undefined)[] = new Array(FLAG_COMBINATIONS);
  private readonly candidatesConfident: (Int32Array | undefined)[] = new Array(FLAG_COMBINATIONS);

  constructor(
    classifiers: readonly Classifier[] = BUILTIN_CLASSIFIERS,
    options: EngineOptions = {},
  ) {
    const opts = engineOptionsSchema.parse(options);
    const ids = new Set<string>();
    for (const c of classifiers) {
      if (ids.has(c.id)) throw new Error(`Duplicate classifier id: ${c.id}`);
      ids.add(c.id);
    }
    const known = (key: string): boolean =>
      ids.has(key) || (CATEGORIES as readonly string[]).includes(key);
    for (const key of [
      ...(opts.enabled ?? []),
      ...(opts.disabled ?? []),
      ...Object.keys(opts.thresholds ?? {}),
      ...Object.keys(opts.sensitivities ?? {}),
    ]) {
      if (!known(key))
        throw new Error(`Unknown classifier id or category in engine options: ${key}`);
    }
    const selects = (list: readonly string[], c: Classifier): boolean =>
      list.includes(c.id) || c.categories.some((cat: Category) => list.includes(cat));
    this.entries = classifiers
      .filter(c => (opts.enabled ? selects(opts.enabled, c) : true))
      .filter(c => !(opts.disabled && selects(opts.disabled, c)))
      .map(c => ({
        classifier: c,
        threshold: opts.thresholds?.[c.id] ?? c.threshold,
        sensitivity: opts.sensitivities?.[c.id] ?? c.sensitivity,
        names: compileNameRules(c.names),
        value: c.value,
        requires: c.value?.requires ?? 0,
        forbids: c.value?.forbids ?? 0,
      }));
    this.valueEntries = this.entries.filter(e => e.value !== undefined);
    this.confidentEntries = this.valueEntries.filter(
      e => (e.value!.maxStrength ?? 1) >= CONFIDENT_VALUE,
    );
    this.valueIndex = this.valueEntries.map(e => this.entries.indexOf(e));
    this.minConfidence = opts.minConfidence ?? 0;
    this.maxLabels = opts.maxLabels ?? 2;
    this.maxDistinct = opts.maxDistinctValues ?? 1000;
  }

  /** The enabled classifiers. */
  get classifiers(): readonly Classifier[] {
    return this.entries.map(e => e.classifier);
  }

  /** Labels for one column, best first; empty when nothing clears its threshold. */
  classifyColumn(column: ColumnInfo, values: readonly unknown[]): Label[] {
    // A boolean column cannot hold any of the values classified here.
    if (column.dataType && BOOLEAN_TYPE_RE.test(column.dataType)) return [];
    const { texts, sampled } = this.distinctTexts(values);
    const ctx = columnContext(column);
    const signals = detectSignals(texts);
    const names = this.entries.map(e => scoreName(e.names, ctx));
    // Without name evidence, a matcher that can never reach its threshold need not run at all.
    const active = this.entries.map(
      (e, i) =>
        names[i]!.score > 0 ||
        (e.value?.maxStrength ?? 1) >= Math.max(e.threshold, this.minConfidence),
    );
    const t = this.tally(texts, active);
    const nonPersonalName = ctx.column.tokens.some(tok => NON_PERSONAL_NAME_TOKENS.has(tok));

    const candidates: Candidate[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      const name = names[i]!;
      if (name.score === 0 && t.matched[i] === 0) continue;
      const confidence = this.confidence(i, t, name, texts.length, signals, nonPersonalName);
      if (confidence >= Math.max(entry.threshold, this.minConfidence))
        candidates.push({ index: i, entry, name, confidence });
    }
    return this.resolve(candidates, texts, t).map(c => ({
      classifierId: c.entry.classifier.id,
      confidence: Math.round(c.confidence * 1000) / 1000,
      sensitivity: c.entry.sensitivity,
      categories: c.entry.classifier.categories,
      evidence: this.evidence(c, t, texts, sampled, signals, nonPersonalName),
    }));
  }

  /** Best single-value match among enabled classifiers (strength ≥ 0.5), ignoring column context. */
  classifyValue(value: unknown): ValueMatch | undefined {
    const text = valueToText(value);
    if (text === undefined) return undefined;
    const shape = computeShape(text, this.scratch);
    const entries = this.confidentEntries;
    const cand = this.candidates(shape.flags, entries, this.candidatesConfident);
    let best = -1;
    let bestStrength = CONFIDENT_VALUE - Number.EPSILON;
    for (let j = 0; j < cand.length; j++) {
      const s = lengthTest(entries[cand[j]!]!.value!, shape);
      if (s > bestStrength) {
        best = cand[j]!;
        bestStrength = s;
      }
    }
    return best >= 0
      ? { classifierId: entries[best]!.classifier.id, strength: bestStrength }
      : undefined;
  }

  /** Fast path over a flat list of values: counts the strongest confident match of each value. */
  classifyValues(values: Iterable<unknown>): ValueScan {
    const entries = this.confidentEntries;
    const counts = new Int32Array(entries.length);
    let n = 0;
    const shape = this.scratch;
    for (const value of values) {
      const text = valueToText(value);
      if (text === undefined) continue;
      n++;
      computeShape(text, shape);
      const cand = this.candidates(shape.flags, entries, this.candidatesConfident);
      let best = -1;
      let bestStrength = CONFIDENT_VALUE - Number.EPSILON;
      for (let j = 0; j < cand.length; j++) {
        const s = lengthTest(entries[cand[j]!]!.value!, shape);
        if (s > bestStrength) {
          best = cand[j]!;
          bestStrength = s;
        }
      }
      if (best >= 0) counts[best]!++;
    }
    const matches: Record<string, number> = {};
    for (let e = 0; e < counts.length; e++)
      if (counts[e]! > 0) matches[entries[e]!.classifier.id] = counts[e]!;
    return { values: n, matches };
  }

  // -------------------------------------------------------------------------------------------

  /** Strength of one value for one classifier, after the cheap length/character pre-filters. */
  private test(e: Entry, shape: ValueShape): number {
    if ((shape.flags & e.requires) !== e.requires || (shape.flags & e.forbids) !== 0) return 0;
    return lengthTest(e.value!, shape);
  }

  /** Positions in `entries` whose character pre-filters accept `flags` (cached per combination). */
  private candidates(
    flags: number,
    entries: readonly Entry[],
    cache: (Int32Array | undefined)[],
  ): Int32Array {
    let c = cache[flags];
    if (c === undefined) {
      const ok: number[] = [];
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        if ((flags & e.requires) === e.requires && (flags & e.forbids) === 0) ok.push(i);
      }
      c = cache[flags] = Int32Array.from(ok);
    }
    return c;
  }

  private distinctTexts(values: readonly unknown[]): { texts: string[]; sampled: number } {
    const seen = new Set<string>();
    let sampled = 0;
    for (const v of values) {
      const text = valueToText(v);
      if (text === undefined) continue;
      sampled++;
      if (seen.size < this.maxDistinct) seen.add(text);
    }
    return { texts: [...seen], sampled };
  }

  private tally(texts: readonly string[], active: readonly boolean[]): Tallies {
    const n = this.entries.length;
    const t: Tallies = {
      matched: new Int32Array(n),
      strengthSum: new Float64Array(n),
      strong: new Int32Array(n),
      shapeOnly: new Int32Array(n),
      examples: new Int32Array(n * 3).fill(-1),
    };
    const valueIdx = this.valueIndex;
    const shape = this.scratch;
    const entries = this.valueEntries;
    for (let i = 0; i < texts.length; i++) {
      computeShape(texts[i]!, shape);
      const cand = this.candidates(shape.flags, entries, this.candidatesAll);
      for (let j = 0; j < cand.length; j++) {
        const k = cand[j]!;
        const e = valueIdx[k]!;
        if (!active[e]) continue;
        const s = lengthTest(entries[k]!.value!, shape);
        if (s === 0) continue;
        if (s === SHAPE_ONLY) {
          t.shapeOnly[e]!++;
          continue;
        }
        if (t.matched[e]! < 3) t.examples[e * 3 + t.matched[e]!] = i;
        t.matched[e]!++;
        t.strengthSum[e]! += s;
        if (s >= 0.5) t.strong[e]!++;
      }
    }
    return t;
  }

  /**
   * Confidence = value evidence v, plus the name evidence n filling part of the remaining gap
   * when the values are compatible with it:  c = v + n·(1 − v)·compat, then negative signals
   * multiply it down.
   *
   * - v = mean strength of matching values × ramp(share of distinct values matching, 30%→80%;
   *   15%→50% for self-evident formats)
   * - compat = ramp(share, 15%→60%): a name cannot label a column whose values contradict it.
   * - Below the classifier's `minDistinct`, values may only contradict a name, never prove.
   *
   * `reasons`, when given, collects human-readable explanations of what lowered the score.
   */
  private confidence(
    i: number,
    t: Tallies,
    name: NameScore,
    d: number,
    signals: ColumnSignals,
    nonPersonalName: boolean,
    reasons?: string[],
  ): number {
    const vm = this.entries[i]!.value;
    const matched = t.matched[i]!;
    const share = d > 0 ? matched / d : 0;
    const compatShare = d > 0 ? (matched + (vm?.shapeOnlyCompatible ? t.shapeOnly[i]! : 0)) / d : 0;
    const meanStrength = matched > 0 ? t.strengthSum[i]! / matched : 0;
    let confidence: number;
    if (!vm || d === 0) {
      confidence = name.score; // nothing to check the name against
    } else if (d < vm.minDistinct) {
      confidence = name.score * (compatShare >= 0.5 ? 1 : 0.2);
    } else {
      // Unmistakable formats (e-mails, checksummed numbers) prove themselves even in a column that
      // mixes them with other data; weak shapes need most of the column to agree.
      const selfEvident = meanStrength >= SELF_EVIDENT && !vm.dictionary;
      let v = meanStrength * (selfEvident ? ramp(share, 0.15, 0.5) : ramp(share, 0.3, 0.8));
      // Checksums already filter out arbitrary ids, so only unvalidated shapes pay for the name.
      if (nonPersonalName && !name.match && !vm.validator && meanStrength < STRONG_VALUE && v > 0) {
        v *= 0.5;
        reasons?.push('column name suggests a non-personal identifier or measure');
      }
      const compat = ramp(compatShare, 0.15, 0.6);
      confidence = v + name.score * (1 - v) * compat;
      if (name.score > 0 && compat < 1)
        reasons?.push(`only ${pct(compatShare)} of values fit the name`);
    }
    if (vm?.negatives && confidence > 0) {
      for (const signal in vm.negatives) {
        const factor = vm.negatives[signal as NegativeSignal];
        const description = signals.found.get(signal as NegativeSignal);
        if (description !== undefined && factor !== undefined) {
          confidence *= factor;
          reasons?.push(description);
        }
      }
    }
    if (name.excluded) reasons?.push('column name excludes this classifier');
    return clamp01(confidence);
  }

  /** Builds the explanation of a label (only for labels actually returned). */
  private evidence(
    c: Candidate,
    t: Tallies,
    texts: readonly string[],
    sampled: number,
    signals: ColumnSignals,
    nonPersonalName: boolean,
  ): Evidence {
    const i = c.index;
    const vm = c.entry.value;
    const d = texts.length;
    const matched = t.matched[i]!;
    const negativeSignals: string[] = [];
    this.confidence(i, t, c.name, d, signals, nonPersonalName, negativeSignals);
    const examples: string[] = [];
    if (vm) {
      for (let k = 0; k < 3; k++) {
        const pos = t.examples[i * 3 + k]!;
        if (pos >= 0) examples.push(vm.mask(texts[pos]!));
      }
    }
    const evidence: Evidence = {
      sampledValues: sampled,
      distinctValues: d,
      matchShare: vm && d >= vm.minDistinct ? Math.round((matched / d) * 1000) / 1000 : null,
      contextWords: [...c.name.contextWords],
      negativeSignals,
      examples,
      summary: '',
    };
    if (vm?.validator && matched + t.shapeOnly[i]! > 0) {
      evidence.validator = {
        name: vm.validator,
        passed: matched,
        checked: matched + t.shapeOnly[i]!,
      };
    }
    if (vm?.dictionary && t.strong[i]! > 0)
      evidence.dictionary = { name: vm.dictionary, hits: t.strong[i]! };
    if (c.name.match) evidence.nameMatch = c.name.match;
    evidence.summary = summarise(evidence, matched);
    return evidence;
  }

  /** Best first; a further label only when it explains different values than those kept. */
  private resolve(candidates: Candidate[], texts: readonly string[], t: Tallies): Candidate[] {
    if (candidates.length <= 1) return candidates;
    candidates.sort((a, b) => b.confidence - a.confidence);
    const kept: Candidate[] = [];
    for (const c of candidates) {
      if (kept.length >= this.maxLabels) break;
      if (kept.some(k => this.overlaps(k, c, texts, t))) continue;
      kept.push(c);
    }
    return kept;
  }

  private overlaps(a: Candidate, b: Candidate, texts: readonly string[], t: Tallies): boolean {
    const ma = t.matched[a.index]!;
    const mb = t.matched[b.index]!;
    // Without value matches on both sides there is nothing to tell them apart: one label per column.
    if (ma === 0 || mb === 0) return true;
    let both = 0;
    const shape = this.scratch;
    for (const text of texts) {
      computeShape(text, shape);
      if (this.test(a.entry, shape) > 0 && this.test(b.entry, shape) > 0) both++;
    }
    return both / Math.min(ma, mb) > OVERLAP_LIMIT;
  }
}

/** Runs a matcher after its length pre-filter. */
function lengthTest(vm: ValueMatcher, shape: ValueShape): number {
  if (shape.length < vm.minLength || shape.length > vm.maxLength) return 0;
  return vm.test(shape);
}

function summarise(e: Evidence, matched: number): string {
  const parts: string[] = [];
  if (e.matchShare !== null) {
    parts.push(`${matched} of ${e.distinctValues} distinct values match (${pct(e.matchShare)})`);
  } else if (e.distinctValues > 0) {
    parts.push(`only ${e.distinctValues} distinct value(s) sampled`);
  } else {
    parts.push('no values sampled');
  }
  if (e.validator)
    parts.push(`${e.validator.passed}/${e.validator.checked} pass ${e.validator.name}`);
  if (e.dictionary) parts.push(`${e.dictionary.hits} found in ${e.dictionary.name}`);
  if (e.nameMatch)
    parts.push(
      `${e.nameMatch.source} name matches '${e.nameMatch.term}' (${e.nameMatch.strength})`,
    );
  if (e.contextWords.length > 0) parts.push(`context: ${e.contextWords.join(', ')}`);
  if (e.negativeSignals.length > 0) parts.push(`lowered by: ${e.negativeSignals.join('; ')}`);
  return parts.join('; ');
}
