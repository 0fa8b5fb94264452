/** Broad families a classifier belongs to; used to enable/disable groups of classifiers. */
export type Category = 'PII' | 'PHI' | 'PCI' | 'SPI' | 'SECRET' | 'FINANCIAL' | 'GOV';

export const CATEGORIES: readonly Category[] = [
  'PII',
  'PHI',
  'PCI',
  'SPI',
  'SECRET',
  'FINANCIAL',
  'GOV',
];

/** Ordered sensitivity levels: PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED. */
export type Sensitivity = 'PUBLIC' | 'INTERNAL' | 'CONFIDENTIAL' | 'RESTRICTED';

export const SENSITIVITY_ORDER: readonly Sensitivity[] = [
  'PUBLIC',
  'INTERNAL',
  'CONFIDENTIAL',
  'RESTRICTED',
];

/** What we know about a column besides its values. */
export interface ColumnInfo {
  name: string;
  tableName: string;
  schemaName?: string;
  dataType?: string;
  comment?: string;
  neighbourColumns?: string[];
}

/**
 * Cheap per-value facts computed once and shared by every classifier. The engine reuses one
 * instance for all values, so matchers must not keep a reference to it.
 */
export interface ValueShape {
  /** Trimmed string form of the value. */
  text: string;
  length: number;
  digits: number;
  letters: number;
  upper: number;
  spaces: number;
  /** Bitmask of `CH_*` flags for notable characters present. */
  flags: number;
  /** Lower-cased, accent-folded text; computed lazily through `foldedText`. */
  folded: string | undefined;
  /** Dictionary look-up key; computed lazily through `shapeKey`. */
  key: string | undefined;
}

/** Character-presence flags used for cheap pre-filtering before any regex runs. */
export const CH_AT = 1;
export const CH_DOT = 2;
export const CH_DASH = 4;
export const CH_COLON = 8;
export const CH_SLASH = 16;
export const CH_SPACE = 32;
export const CH_PLUS = 64;
export const CH_DOLLAR = 128;
export const CH_UNDERSCORE = 256;
export const CH_COMMA = 512;
export const CH_PAREN = 1024;
/** Any character outside printable ASCII (accents, other scripts). */
export const CH_NON_ASCII = 2048;
export const CH_DIGIT = 4096;
export const CH_LETTER = 8192;

/**
 * Returned by `ValueMatcher.test` when a value has the right shape but fails the checksum. It
 * counts as a non-match, and the engine reports it as a validator failure in the evidence.
 */
export const SHAPE_ONLY = -1;

/** Column-wide signals that make some classifiers unlikely (see `negatives.ts`). */
export type NegativeSignal =
  | 'FREE_TEXT'
  | 'TIMESTAMPS'
  | 'VERSION_STRINGS'
  | 'UUIDS'
  | 'ISBNS'
  | 'SMALL_INT_RANGE'
  | 'ACADEMIC_YEARS'
  | 'PREFIXED_IDS'
  | 'DECIMAL_AMOUNTS'
  | 'SEQUENTIAL_IDS';

/** How a classifier recognises individual values. */
export interface ValueMatcher {
  /** Distinct non-empty values needed before value evidence counts at all. */
  minDistinct: number;
  /** Cheap pre-filters checked before `test` is called. */
  minLength: number;
  maxLength: number;
  /** Every flag in this mask must be present (e.g. `CH_AT` for e-mail). */
  requires?: number;
  /** No flag in this mask may be present. */
  forbids?: number;
  /**
   * Strength in 0..1 with which this value alone points at the classifier (0 = no match,
   * `SHAPE_ONLY` = right shape but checksum failed). Must not allocate on the common no-match path.
   */
  test(shape: ValueShape): number;
  /**
   * Upper bound of what `test` returns (default 1). Matchers that can never reach 0.5 only
   * support a column name, so the per-value fast path skips them.
   */
  maxStrength?: number;
  /** Checksum name reported in evidence, e.g. `luhn`. */
  validator?: string;
  /**
   * Whether values that fail the checksum (`SHAPE_ONLY`) still agree with a matching column name;
   * e.g. European VINs carry no check digit. They never count as value evidence.
   */
  shapeOnlyCompatible?: boolean;
  /** Dictionary name reported in evidence, e.g. `first-names`. */
  dictionary?: string;
  /** Column signals that lower this classifier's confidence, with the multiplier to apply. */
  negatives?: Partial<Record<NegativeSignal, number>>;
  /** Produces a safe rendering of a matched value for evidence. */
  mask(value: string): string;
}

/** Column-name evidence. Phrases are `_`-separated tokens; a trailing `*` on a token is a prefix match. */
export interface NameRules {
  /** Phrases that on their own make the classifier likely (weight `strongWeight`, default 0.8). */
  strong?: readonly string[];
  /** Phrases that suggest it (weight `weakWeight`, default 0.4). */
  weak?: readonly string[];
  strongWeight?: number;
  weakWeight?: number;
  /** Words in the table name, comment or neighbouring columns that support it. */
  context?: readonly string[];
  /** Column-name tokens that cancel a name match (e.g. `hash` for a plain password). */
  exclude?: readonly string[];
}

export interface Classifier {
  /** Stable identifier, part of the public API (e.g. `PII.EMAIL_ADDRESS`). */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly categories: readonly Category[];
  readonly sensitivity: Sensitivity;
  /** Minimum confidence for a label to be attached. */
  readonly threshold: number;
  /** Synthetic example values (never real data). */
  readonly examples: readonly string[];
  readonly names?: NameRules;
  /** Absent for classifiers that rely on column names only. */
  readonly value?: ValueMatcher;
  /**
   * A generic classifier (e.g. `GOV.NATIONAL_ID`) yields to any more specific label that
   * matched the same values.
   */
  readonly generic?: boolean;
}

export interface NameEvidence {
  /** Where the phrase was found. */
  source: 'column' | 'comment';
  term: string;
  strength: 'strong' | 'weak';
}

export interface Evidence {
  /** Non-empty values sampled (after dropping nulls, empty strings and placeholders like `n/a`). */
  sampledValues: number;
  distinctValues: number;
  /** Share of distinct values matching; null when there were too few distinct values to count. */
  matchShare: number | null;
  /** Checksum results for values of the right shape. */
  validator?: { name: string; passed: number; checked: number };
  dictionary?: { name: string; hits: number };
  nameMatch?: NameEvidence;
  /** Supporting words found in the table name, comment or neighbouring columns. */
  contextWords: string[];
  /** Reasons the confidence was lowered. */
  negativeSignals: string[];
  /** At most three masked example values. */
  examples: string[];
  /** One-line human explanation. */
  summary: string;
}

export interface Label {
  classifierId: string;
  confidence: number;
  sensitivity: Sensitivity;
  categories: readonly Category[];
  evidence: Evidence;
}

export interface EngineOptions {
  /** Classifier ids and/or categories to enable; all when omitted. */
  enabled?: readonly string[];
  /** Classifier ids and/or categories to disable (applied after `enabled`). */
  disabled?: readonly string[];
  /** Per-classifier threshold overrides. */
  thresholds?: Readonly<Record<string, number>>;
  /** Per-classifier sensitivity overrides. */
  sensitivities?: Readonly<Record<string, Sensitivity>>;
  /** Global floor applied on top of per-classifier thresholds. */
  minConfidence?: number;
  /** Maximum labels per column (default 2). */
  maxLabels?: number;
  /** Maximum distinct values examined per column (default 1000). */
  maxDistinctValues?: number;
}
