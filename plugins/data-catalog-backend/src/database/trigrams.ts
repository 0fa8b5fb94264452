/**
 * Trigrams as pg_trgm computes them (a word padded with two spaces before and one after),
 * so both engines judge typos alike. `padded: false` gives the raw three-character
 * substrings that SQLite's FTS5 trigram tokenizer indexes. Characters are code points.
 */
export function trigramsOf(word: string, padded = true): string[] {
  const text = padded ? `  ${word} ` : word;
  const grams = new Set<string>();
  if (/[\ud800-\udfff]/.test(text)) {
    // A character outside the basic plane is two UTF-16 units: slice by code point.
    const chars = [...text];
    for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars[i] + chars[i + 1] + chars[i + 2]);
  } else {
    for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3));
  }
  return [...grams];
}

/**
 * pg_trgm's similarity to `word` (shared trigrams over all distinct trigrams of both words,
 * 0…1), for many candidates: the word's own trigrams are worked out once.
 */
export function trigramSimilarityTo(word: string): (candidate: string) => number {
  const own = new Set(trigramsOf(word));
  return candidate => {
    if (candidate === word) return 1;
    const other = trigramsOf(candidate);
    let shared = 0;
    for (const gram of other) if (own.has(gram)) shared++;
    const union = own.size + other.length - shared;
    return union === 0 ? 0 : shared / union;
  };
}

/** pg_trgm's similarity of two words (0…1). */
export function trigramSimilarity(a: string, b: string): number {
  return trigramSimilarityTo(a)(b);
}
