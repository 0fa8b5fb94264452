/**
 * Trigrams as pg_trgm computes them (a word padded with two spaces before and one after),
 * so both engines judge typos alike. `padded: false` gives the raw three-character
 * substrings that SQLite's FTS5 trigram tokenizer indexes.
 */
export function trigramsOf(word: string, padded = true): string[] {
  const chars = [...(padded ? `  ${word} ` : word)];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return [...grams];
}

/** pg_trgm's similarity: shared trigrams over all distinct trigrams of both words (0…1). */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const left = new Set(trigramsOf(a));
  const right = trigramsOf(b);
  let shared = 0;
  for (const gram of right) if (left.has(gram)) shared++;
  const union = left.size + new Set(right).size - shared;
  return union === 0 ? 0 : shared / union;
}
