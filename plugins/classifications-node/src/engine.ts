import { z } from 'zod';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import {
  columnContext,
  compileNameRules,
  NameRuleIndex,
  type CompiledNameRules,
  type NameScore,
} from './names.js';
import { SIGNAL_BITS, SignalCounter, type ColumnSignals } from './negatives.js';
import type { PreparedColumn } from './customRules.js';
import { computeShape, computeShapeAndRuns, newShape, valueToText, words } from './text.js';
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
  /** The confidence a label needs: `max(threshold, minConfidence)`. */
  floor: number;
  /** Whether the matcher can reach `floor` on its own, so it runs even without name evidence. */
  alwaysActive: boolean;
}

/**
 * Per-classifier accumulators for one column, indexed like `entries`. One instance per engine,
 * reset for each column (`classifyColumn` is synchronous and never re-entered).
 */
class Tallies {
  matched: Int32Array;
  strengthSum: Float64Array;
  /** Matches with strength ≥ 0.5 (dictionary hits, validated values). */
  strong: Int32Array;
  shapeOnly: Int32Array;
  /** Up to three example value positions per classifier, `-1` when unused. */
  examples: Int32Array;
  /**
   * Positions of the matching values, `stride` slots per classifier (classifier `e` uses
   * `hits[e * stride ... e * stride + matched[e]]`, ascending); lets `overlaps` compare two
   * classifiers without testing every value again.
   */
  hits = new Int32Array(0);
  stride = 0;
  /** Whether each classifier's matcher runs on this column. */
  active: Uint8Array;

  constructor(readonly n: number) {
    this.matched = new Int32Array(n);
    this.strengthSum = new Float64Array(n);
    this.strong = new Int32Array(n);
    this.shapeOnly = new Int32Array(n);
    this.examples = new Int32Array(n * 3);
    this.active = new Uint8Array(n);
  }

  reset(distinct: number): void {
    this.matched.fill(0);
    this.strengthSum.fill(0);
    this.strong.fill(0);
    this.shapeOnly.fill(0);
    this.examples.fill(-1);
    this.stride = distinct;
    if (this.hits.length < this.n * distinct) this.hits = new Int32Array(this.n * distinct);
  }
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
 * Scores columns against a set of classifiers. Instances are reusable and their configuration
 * immutable; per-column scratch state (shape, distinct texts, tallies, signal counts) is reused
 * from column to column to spare the garbage collector, which is safe because `classifyColumn`
 * is synchronous and never re-entered (and an instance cannot be shared between worker threads,
 * which JavaScript prevents anyway).
 */
export class ClassificationEngine {
  private readonly entries: Entry[];
  private readonly valueEntries: Entry[];
  /** Value entries able to reach `CONFIDENT_VALUE` on a single value (used by the fast paths). */
  private readonly confidentEntries: Entry[];
  /** Position of each value entry in `entries`. */
  private readonly valueIndex: number[];
  /**
   * Per value entry, its matcher and length bounds, in arrays of one shape: matchers are objects
   * of many shapes, so reading their fields in the hot loop would be slow.
   */
  private readonly valueMatchers: ValueMatcher[];
  private readonly valueTests: ValueMatcher['test'][];
  private readonly minLengths: Float64Array;
  private readonly maxLengths: Float64Array;
  private readonly minConfidence: number;
  private readonly maxLabels: number;
  private readonly maxDistinct: number;
  private readonly scratch: ValueShape = newShape();
  private readonly nameIndex: NameRuleIndex;
  /**
   * Per character-flag combination, the positions (in `valueEntries` / `confidentEntries`) of
   * matchers whose `requires`/`forbids` pre-filters pass; filled lazily. Saves re-checking 48
   * bitmasks for every value.
   */
  private readonly candidatesAll: (Int32Array | undefined)[] = new Array(FLAG_COMBINATIONS);
  private readonly candidatesConfident: (Int32Array | undefined)[] = new Array(FLAG_COMBINATIONS);
  /**
   * Per column, per character-flag combination met, the active value entries (positions in
   * `valueEntries`) whose pre-filters pass: `columnCandidates[start, start + count)`, valid when
   * `columnStamp[flags]` is the column's `stamp`. Allocated on first use.
   */
  private columnStamp: Int32Array | undefined;
  private columnStart: Int32Array | undefined;
  private columnCount: Int32Array | undefined;
  private columnCandidates = new Int32Array(0);
  private stamp = 0;
  /** Scratch state of `classifyColumn`, reused from column to column. */
  private readonly tallies: Tallies;
  private readonly signalCounter: SignalCounter;
  /** Distinct texts of the current column: the first `distinct` entries (the rest is stale). */
  private readonly texts: string[] = [];
  private distinct = 0;
  private sampled = 0;

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
    this.minConfidence = opts.minConfidence ?? 0;
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
        floor: 0,
        alwaysActive: false,
      }));
    for (const e of this.entries) {
      e.floor = Math.max(e.threshold, this.minConfidence);
      e.alwaysActive = (e.value?.maxStrength ?? 1) >= e.floor;
    }
    this.valueEntries = this.entries.filter(e => e.value !== undefined);
    this.confidentEntries = this.valueEntries.filter(
      e => (e.value!.maxStrength ?? 1) >= CONFIDENT_VALUE,
    );
    this.valueIndex = this.valueEntries.map(e => this.entries.indexOf(e));
    this.valueMatchers = this.valueEntries.map(e => e.value!);
    this.valueTests = this.valueMatchers.map(vm => vm.test);
    this.minLengths = Float64Array.from(this.valueMatchers, vm => vm.minLength);
    this.maxLengths = Float64Array.from(this.valueMatchers, vm => vm.maxLength);
    this.nameIndex = new NameRuleIndex(this.entries.map(e => e.names));
    this.maxLabels = opts.maxLabels ?? 2;
    this.maxDistinct = opts.maxDistinctValues ?? 1000;
    this.tallies = new Tallies(this.entries.length);
    // Only the signals some enabled classifier is lowered by are worth detecting.
    let needs = 0;
    for (const e of this.valueEntries)
      for (const signal in e.value!.negatives ?? {}) needs |= SIGNAL_BITS[signal as NegativeSignal];
    this.signalCounter = new SignalCounter(needs);
  }

  /** The enabled classifiers. */
  get classifiers(): readonly Classifier[] {
    return this.entries.map(e => e.classifier);
  }

  /** Labels for one column, best first; empty when nothing clears its threshold. */
  classifyColumn(column: ColumnInfo, values: readonly unknown[]): Label[] {
    // A boolean column cannot hold any of the values classified here.
    if (column.dataType && BOOLEAN_TYPE_RE.test(column.dataType)) return [];
    this.distinctTexts(values);
    return this.classifyDistinct(column, this.texts, this.distinct, this.sampled);
  }

  /** `classifyColumn` once the values are reduced to their distinct non-empty texts. */
  private classifyDistinct(
    column: ColumnInfo,
    texts: readonly string[],
    d: number,
    sampled: number,
  ): Label[] {
    if (column.dataType && BOOLEAN_TYPE_RE.test(column.dataType)) return [];
    const ctx = columnContext(column);
    const names = this.nameIndex.scoreAll(ctx);
    const t = this.tallies;
    t.reset(d);
    // Without name evidence, a matcher that can never reach its threshold need not run at all.
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++)
      t.active[i] = entries[i]!.alwaysActive || names[i]!.score > 0 ? 1 : 0;
    const signals = this.tally(texts, d, t);
    let nonPersonalName = false;
    for (const tok of ctx.column.tokens) {
      if (NON_PERSONAL_NAME_TOKENS.has(tok)) {
        nonPersonalName = true;
        break;
      }
    }

    const candidates: Candidate[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const name = names[i]!;
      if (name.score === 0 && t.matched[i] === 0) continue;
      const confidence = this.confidence(i, t, name, d, signals, nonPersonalName);
      if (confidence >= entry.floor) candidates.push({ index: i, entry, name, confidence });
    }
    return this.resolve(candidates, t).map(c => ({
      classifierId: c.entry.classifier.id,
      confidence: Math.round(c.confidence * 1000) / 1000,
      sensitivity: c.entry.sensitivity,
      categories: c.entry.classifier.categories,
      evidence: this.evidence(c, t, texts, d, sampled, signals, nonPersonalName),
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

  /**
   * Distinct non-empty texts of the values in first-seen order, into the reused `texts` array
   * (their number into `distinct`); the number of non-empty values goes to `sampled`.
   */
  private distinctTexts(values: readonly unknown[]): void {
    const seen = new Set<string>();
    // Written over in place rather than emptied, so the array keeps its capacity between columns.
    const texts = this.texts;
    let d = 0;
    let sampled = 0;
    const max = this.maxDistinct;
    // An index loop: `for…of` here allocated an iterator result per value.
    for (let i = 0; i < values.length; i++) {
      const text = valueToText(values[i]);
      if (text === undefined) continue;
      sampled++;
      if (seen.size < max) {
        const before = seen.size;
        seen.add(text);
        if (seen.size !== before) {
          if (d < texts.length) texts[d] = text;
          else texts.push(text);
          d++;
        }
      }
    }
    this.sampled = sampled;
    this.distinct = d;
  }

  /**
   * Runs the active matchers over every distinct text (into `t`) and detects the column signals
   * on the way, from the same per-value shape.
   */
  private tally(texts: readonly string[], d: number, t: Tallies): ColumnSignals {
    const valueIdx = this.valueIndex;
    const shape = this.scratch;
    const entries = this.valueEntries;
    const matchers = this.valueMatchers;
    const tests = this.valueTests;
    const minLengths = this.minLengths;
    const maxLengths = this.maxLengths;
    const counter = this.signalCounter;
    const countSignals = counter.needs !== 0;
    counter.reset();
    const { active, matched, shapeOnly, examples, strengthSum, strong, hits, stride } = t;
    const columnStamp = (this.columnStamp ??= new Int32Array(FLAG_COMBINATIONS));
    const columnStart = (this.columnStart ??= new Int32Array(FLAG_COMBINATIONS));
    const columnCount = (this.columnCount ??= new Int32Array(FLAG_COMBINATIONS));
    if (this.stamp >= 0x3fffffff) {
      columnStamp.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const room = Math.min(d, FLAG_COMBINATIONS) * entries.length;
    if (this.columnCandidates.length < room) this.columnCandidates = new Int32Array(room);
    const columnCandidates = this.columnCandidates;
    let used = 0;
    for (let i = 0; i < d; i++) {
      const text = texts[i]!;
      const whiteRuns = computeShapeAndRuns(text, shape);
      if (countSignals) counter.add(text, shape, whiteRuns);
      const length = shape.length;
      const flags = shape.flags;
      if (columnStamp[flags] !== stamp) {
        // First value of this character mix in the column: keep the active candidates.
        const cand = this.candidates(flags, entries, this.candidatesAll);
        columnStart[flags] = used;
        for (let j = 0; j < cand.length; j++)
          if (active[valueIdx[cand[j]!]!] === 1) columnCandidates[used++] = cand[j]!;
        columnCount[flags] = used - columnStart[flags]!;
        columnStamp[flags] = stamp;
      }
      const end = columnStart[flags]! + columnCount[flags]!;
      for (let j = columnStart[flags]!; j < end; j++) {
        const k = columnCandidates[j]!;
        if (length < minLengths[k]! || length > maxLengths[k]!) continue;
        const e = valueIdx[k]!;
        // `call` keeps the matcher as `this` without a (megamorphic) property read per value.
        const s = tests[k]!.call(matchers[k], shape);
        if (s === 0) continue;
        if (s === SHAPE_ONLY) {
          shapeOnly[e]!++;
          continue;
        }
        const m = matched[e]!;
        if (m < 3) examples[e * 3 + m] = i;
        // `overlaps` counts values on which both matchers return more than 0.
        hits[e * stride + m] = s > 0 ? i : -1;
        matched[e] = m + 1;
        strengthSum[e]! += s;
        if (s >= 0.5) strong[e]!++;
      }
    }
    return counter.result(true);
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
    if (vm?.negatives && confidence > 0 && signals.found.size > 0) {
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
    d: number,
    sampled: number,
    signals: ColumnSignals,
    nonPersonalName: boolean,
  ): Evidence {
    const i = c.index;
    const vm = c.entry.value;
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
  private resolve(candidates: Candidate[], t: Tallies): Candidate[] {
    if (candidates.length <= 1) return candidates;
    candidates.sort((a, b) => b.confidence - a.confidence);
    const kept: Candidate[] = [];
    for (const c of candidates) {
      if (kept.length >= this.maxLabels) break;
      if (kept.some(k => this.overlaps(k, c, t))) continue;
      kept.push(c);
    }
    return kept;
  }

  private overlaps(a: Candidate, b: Candidate, t: Tallies): boolean {
    const ma = t.matched[a.index]!;
    const mb = t.matched[b.index]!;
    // Without value matches on both sides there is nothing to tell them apart: one label per column.
    if (ma === 0 || mb === 0) return true;
    // Values both matchers accept: the intersection of their ascending match positions.
    const { hits, stride } = t;
    let both = 0;
    let i = a.index * stride;
    let j = b.index * stride;
    const iEnd = i + ma;
    const jEnd = j + mb;
    while (i < iEnd && j < jEnd) {
      const x = hits[i]!;
      const y = hits[j]!;
      if (x < 0) i++;
      else if (y < 0) j++;
      else if (x === y) {
        both++;
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
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

/**
 * `engine.classifyColumn(prepared.column, values)` for the values `prepared` was made of with the
 * engine's `maxDistinctValues` (for `ConfiguredEngine`, which prepares each column once).
 */
export function classifyPreparedColumn(
  engine: ClassificationEngine,
  prepared: PreparedColumn,
): Label[] {
  const { column, texts, sampled } = prepared;
  return engine['classifyDistinct'](column, texts, texts.length, sampled);
}
