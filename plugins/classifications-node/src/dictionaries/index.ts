import { fold, isSpace } from '../text.js';
import { CITIES } from './cities.js';
import { COUNTRIES, DEMONYMS } from './countries.js';
import { FIRST_NAMES } from './first-names.js';
import { HEALTH_CONDITIONS } from './health-conditions.js';
import { REGIONS } from './regions.js';
import { SURNAMES } from './surnames.js';

const PUNCT = /[.'’`]/g;
const SEPARATORS = /[\s_-]+/g;

/**
 * Normal form for dictionary look-ups: accent- and case-folded, apostrophes and dots dropped,
 * hyphens and runs of spaces collapsed to one space (`Saint-Étienne` → `saint etienne`).
 */
export function dictionaryKey(text: string): string {
  const folded = fold(text);
  return isKeyForm(folded) ? folded : folded.replace(PUNCT, '').replace(SEPARATORS, ' ').trim();
}

/**
 * Whether folded text is already its own key (no punctuation to drop, no `_` or `-`, words
 * separated by single spaces), the usual case: then the replacements would copy it unchanged.
 */
function isKeyForm(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 39 || c === 96 || c === 0x2019 || c === 95 || c === 45) return false;
    if (isSpace(c) && (c !== 32 || i === 0 || i === n - 1 || text.charCodeAt(i - 1) === 32))
      return false;
  }
  return true;
}

export interface Dictionaries {
  firstNames: ReadonlySet<string>;
  surnames: ReadonlySet<string>;
  cities: ReadonlySet<string>;
  countryNames: ReadonlySet<string>;
  countryAlpha2: ReadonlySet<string>;
  countryAlpha3: ReadonlySet<string>;
  /** Nationality adjectives (French, Brazilian, …). */
  demonyms: ReadonlySet<string>;
  regionNames: ReadonlySet<string>;
  regionCodes: ReadonlySet<string>;
  healthConditions: ReadonlySet<string>;
  /** Longest condition in words, bounds the phrase search inside longer values. */
  healthConditionMaxWords: number;
  /** Distinctive words of the conditions (≥ 4 letters), to reject values quickly. */
  healthConditionWords: ReadonlySet<string>;
}

function wordsSet(data: string): Set<string> {
  return new Set(data.split(/\s+/).filter(Boolean).map(dictionaryKey));
}

function pipeSet(data: string): Set<string> {
  return new Set(
    data
      .split(/[|\n]/)
      .map(dictionaryKey)
      .filter(s => s.length > 0),
  );
}

function build(): Dictionaries {
  const countryNames = new Set<string>();
  const countryAlpha2 = new Set<string>();
  const countryAlpha3 = new Set<string>();
  for (const line of COUNTRIES.split('\n')) {
    const [a2, a3, ...names] = line.split('|');
    if (!a2 || !a3) continue;
    countryAlpha2.add(a2);
    countryAlpha3.add(a3);
    for (const n of names) countryNames.add(dictionaryKey(n));
  }
  const regionNames = new Set<string>();
  const regionCodes = new Set<string>();
  for (const line of REGIONS.split('\n')) {
    const [code, ...names] = line.split('|');
    if (!code) continue;
    if (code !== '-') regionCodes.add(code);
    for (const n of names) regionNames.add(dictionaryKey(n));
  }
  const healthConditions = pipeSet(HEALTH_CONDITIONS);
  let maxWords = 1;
  const conditionWords = new Set<string>();
  for (const c of healthConditions) {
    const words = c.split(' ');
    maxWords = Math.max(maxWords, words.length);
    for (const w of words) if (w.length >= 4) conditionWords.add(w);
  }
  return {
    firstNames: wordsSet(FIRST_NAMES),
    surnames: wordsSet(SURNAMES),
    cities: pipeSet(CITIES),
    countryNames,
    countryAlpha2,
    countryAlpha3,
    demonyms: wordsSet(DEMONYMS),
    regionNames,
    regionCodes,
    healthConditions,
    healthConditionMaxWords: maxWords,
    healthConditionWords: conditionWords,
  };
}

let cached: Dictionaries | undefined;

/** The bundled dictionaries, built once on first use. */
export function dictionaries(): Dictionaries {
  cached ??= build();
  return cached;
}
