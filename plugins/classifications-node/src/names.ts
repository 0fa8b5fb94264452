import { tokenizeName, tokenizeText } from './text.js';
import type { ColumnInfo, NameEvidence, NameRules } from './types.js';

interface Phrase {
  text: string;
  tokens: string[];
  /** Per token: match any token starting with it (`addr*`). */
  prefix: boolean[];
}

/** Phrases indexed by their first token, so a column name only meets the phrases it could match. */
interface PhraseIndex {
  byFirst: ReadonlyMap<string, Phrase[]>;
  /** Phrases whose first token is a prefix pattern (`addr*`); scanned in full. */
  prefixed: Phrase[];
}

export interface CompiledNameRules {
  strong: Phrase[];
  weak: Phrase[];
  strongIndex: PhraseIndex;
  weakIndex: PhraseIndex;
  strongWeight: number;
  weakWeight: number;
  context: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

function compilePhrase(text: string): Phrase {
  const raw = text.split(/[_\s]+/).filter(Boolean);
  return {
    text,
    tokens: raw.map(t => (t.endsWith('*') ? t.slice(0, -1) : t)),
    prefix: raw.map(t => t.endsWith('*')),
  };
}

function indexPhrases(phrases: Phrase[]): PhraseIndex {
  const byFirst = new Map<string, Phrase[]>();
  const prefixed: Phrase[] = [];
  for (const p of phrases) {
    if (p.prefix[0]) prefixed.push(p);
    else byFirst.set(p.tokens[0]!, [...(byFirst.get(p.tokens[0]!) ?? []), p]);
  }
  return { byFirst, prefixed };
}

export function compileNameRules(rules: NameRules | undefined): CompiledNameRules {
  const strong = (rules?.strong ?? []).map(compilePhrase);
  const weak = (rules?.weak ?? []).map(compilePhrase);
  return {
    strong,
    weak,
    strongIndex: indexPhrases(strong),
    weakIndex: indexPhrases(weak),
    strongWeight: rules?.strongWeight ?? 0.8,
    weakWeight: rules?.weakWeight ?? 0.4,
    context: new Set(rules?.context ?? []),
    exclude: new Set(rules?.exclude ?? []),
  };
}

/** Tokens of a name plus, per position, the token without trailing digits (`address1` → `address`). */
export interface NameTokens {
  tokens: string[];
  alt: string[];
}

export function nameTokens(tokens: string[]): NameTokens {
  return { tokens, alt: tokens.map(t => t.replace(/\d+$/, '') || t) };
}

function tokenMatches(actual: string, alt: string, want: string, prefix: boolean): boolean {
  if (prefix) return actual.startsWith(want) || alt.startsWith(want);
  return actual === want || alt === want;
}

function phraseAt(phrase: Phrase, name: NameTokens, i: number): boolean {
  const k = phrase.tokens.length;
  if (i + k > name.tokens.length) return false;
  for (let j = 0; j < k; j++) {
    if (!tokenMatches(name.tokens[i + j]!, name.alt[i + j]!, phrase.tokens[j]!, phrase.prefix[j]!))
      return false;
  }
  return true;
}

/** The first phrase of the index found anywhere in the name, in declaration order of the index. */
function findPhrase(index: PhraseIndex, name: NameTokens): Phrase | undefined {
  const { tokens, alt } = name;
  for (let i = 0; i < tokens.length; i++) {
    const starts =
      index.byFirst.get(tokens[i]!) ??
      (alt[i] !== tokens[i] ? index.byFirst.get(alt[i]!) : undefined);
    if (starts) for (const p of starts) if (phraseAt(p, name, i)) return p;
    for (const p of index.prefixed) if (phraseAt(p, name, i)) return p;
  }
  return undefined;
}

/** Everything about a column's metadata that name rules look at, tokenised once per column. */
export interface ColumnContext {
  column: NameTokens;
  comment: NameTokens;
  /** Tokens of the table and schema names, data type, comment and neighbouring column names. */
  contextTokens: ReadonlySet<string>;
}

/** An identifier's tokens, their digit-stripped forms, and both together as context words. */
interface NameParts {
  name: NameTokens;
  context: readonly string[];
}

function contextWordsOf(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    out.push(t);
    const stripped = t.replace(/\d+$/, '');
    if (stripped && stripped !== t) out.push(stripped);
  }
  return out;
}

/**
 * Identifiers recur across a database (`id`, `email`, `created_at`, the table name for each of
 * its columns), so their tokens are kept. Bounded: the oldest half goes when it is full.
 */
const NAME_CACHE_LIMIT = 8192;
const nameCache = new Map<string, NameParts>();

function nameParts(name: string): NameParts {
  let parts = nameCache.get(name);
  if (parts === undefined) {
    const tokens = tokenizeName(name);
    parts = { name: nameTokens(tokens), context: contextWordsOf(tokens) };
    if (nameCache.size >= NAME_CACHE_LIMIT) {
      let drop = NAME_CACHE_LIMIT / 2;
      for (const key of nameCache.keys()) {
        nameCache.delete(key);
        if (--drop === 0) break;
      }
    }
    nameCache.set(name, parts);
  }
  return parts;
}

export function columnContext(column: ColumnInfo): ColumnContext {
  const commentTokens = column.comment ? tokenizeText(column.comment) : [];
  const ctx = new Set<string>();
  const add = (words: readonly string[]): void => {
    for (const w of words) ctx.add(w);
  };
  add(nameParts(column.tableName).context);
  // Database types such as `inet` or `macaddr` are context too.
  if (column.dataType) add(nameParts(column.dataType).context);
  if (column.schemaName) add(nameParts(column.schemaName).context);
  add(contextWordsOf(commentTokens));
  for (const n of column.neighbourColumns ?? []) if (n !== column.name) add(nameParts(n).context);
  return {
    column: nameParts(column.name).name,
    comment: nameTokens(commentTokens),
    contextTokens: ctx,
  };
}

export interface NameScore {
  /** 0..1 contribution of the name, comment and context. */
  score: number;
  match?: NameEvidence;
  contextWords: string[];
  /** The column name carries a token that rules this classifier out. */
  excluded: boolean;
}

/** Comments are less reliable than the column name itself. */
const COMMENT_FACTOR = 0.85;
/** Context alone never labels a column; it nudges a weak name or weak values over the line. */
const CONTEXT_BONUS = 0.15;

const NO_NAME_EVIDENCE: NameScore = Object.freeze({
  score: 0,
  contextWords: [],
  excluded: false,
}) as NameScore;

export function scoreName(rules: CompiledNameRules, ctx: ColumnContext): NameScore {
  return scoreNameWith(rules, [...rules.context], ctx);
}

/** `scoreName` with `rules.context` as an array (iterating a set allocates per word). */
function scoreNameWith(
  rules: CompiledNameRules,
  context: readonly string[],
  ctx: ColumnContext,
): NameScore {
  let excluded = false;
  if (rules.exclude.size > 0) {
    for (const t of ctx.column.tokens) {
      if (rules.exclude.has(t)) {
        excluded = true;
        break;
      }
    }
  }
  let score = 0;
  let match: NameEvidence | undefined;
  if (!excluded) {
    const strong = findPhrase(rules.strongIndex, ctx.column);
    if (strong) {
      score = rules.strongWeight;
      match = { source: 'column', term: strong.text, strength: 'strong' };
    } else {
      const weak = findPhrase(rules.weakIndex, ctx.column);
      if (weak) {
        score = rules.weakWeight;
        match = { source: 'column', term: weak.text, strength: 'weak' };
      }
    }
  }
  if (!match && ctx.comment.tokens.length > 0) {
    const p = findPhrase(rules.strongIndex, ctx.comment);
    if (p) {
      score = rules.strongWeight * COMMENT_FACTOR;
      match = { source: 'comment', term: p.text, strength: 'strong' };
    }
  }
  let contextWords: string[] | undefined;
  if (!excluded && context.length > 0 && ctx.contextTokens.size > 0) {
    for (const w of context) if (ctx.contextTokens.has(w)) (contextWords ??= []).push(w);
    if (contextWords) score = Math.min(0.95, score + CONTEXT_BONUS);
  }
  if (!match && !contextWords && !excluded) return NO_NAME_EVIDENCE;
  return { score, match, contextWords: contextWords ?? [], excluded };
}

/**
 * Which classifiers' name rules a column could trigger at all: an index of every rule set's
 * phrase first tokens, exclusions and context words, so a column meets the few classifiers its
 * tokens mention instead of scoring all of them.
 */
export class NameRuleIndex {
  private readonly byToken = new Map<string, number[]>();
  private readonly byExclude = new Map<string, number[]>();
  private readonly byContext = new Map<string, number[]>();
  /** Rule sets with a phrase whose first token is a prefix pattern: always scored. */
  private readonly always: number[] = [];
  /** Each rule set's context words, in order. */
  private readonly contexts: string[][];
  private readonly mark: Uint8Array;

  constructor(private readonly rules: readonly CompiledNameRules[]) {
    this.contexts = rules.map(r => [...r.context]);
    this.mark = new Uint8Array(rules.length);
    const push = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    rules.forEach((r, i) => {
      let prefixed = false;
      for (const p of [...r.strong, ...r.weak]) {
        if (p.prefix[0]) prefixed = true;
        else push(this.byToken, p.tokens[0]!, i);
      }
      if (prefixed) this.always.push(i);
      for (const t of r.exclude) push(this.byExclude, t, i);
      for (const w of r.context) push(this.byContext, w, i);
    });
  }

  /** Marks the rule sets whose phrases start with a token of `names` (or its digit-less form). */
  private markTokens(index: ReadonlyMap<string, number[]>, names: NameTokens): void {
    const { tokens, alt } = names;
    for (let k = 0; k < tokens.length; k++) {
      markAll(this.mark, index.get(tokens[k]!));
      if (alt[k] !== tokens[k]) markAll(this.mark, index.get(alt[k]!));
    }
  }

  /** `scoreName` of every rule set, in order; the same results, computed only where they can differ. */
  scoreAll(ctx: ColumnContext): NameScore[] {
    // Reused between columns (scoring is synchronous).
    const mark = this.mark;
    mark.fill(0);
    for (const i of this.always) mark[i] = 1;
    this.markTokens(this.byToken, ctx.column);
    this.markTokens(this.byToken, ctx.comment);
    const tokens = ctx.column.tokens;
    for (let k = 0; k < tokens.length; k++) markAll(mark, this.byExclude.get(tokens[k]!));
    ctx.contextTokens.forEach(w => markAll(mark, this.byContext.get(w)));
    const scores: NameScore[] = new Array<NameScore>(this.rules.length);
    for (let i = 0; i < scores.length; i++)
      scores[i] = mark[i]
        ? scoreNameWith(this.rules[i]!, this.contexts[i]!, ctx)
        : NO_NAME_EVIDENCE;
    return scores;
  }
}

function markAll(mark: Uint8Array, list: readonly number[] | undefined): void {
  if (list) for (let i = 0; i < list.length; i++) mark[list[i]!] = 1;
}
