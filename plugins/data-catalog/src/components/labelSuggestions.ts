/**
 * Classifier ids (label values) that look like what someone typed in a label filter, for a
 * "did you mean" when the filter, an exact classifier id (any case), matches nothing: those
 * containing every word of the text, in any case, words split at dots, underscores, dashes
 * and spaces (`pii.email` → `PII.EMAIL_ADDRESS`). The exact id itself is no suggestion.
 */
export function labelSuggestions(typed: string, known: readonly string[], max = 5): string[] {
  const text = typed.trim().toLowerCase();
  const words = text.split(/[._\s-]+/).filter(Boolean);
  if (words.length === 0) return [];
  return known
    .filter(id => {
      const lower = id.toLowerCase();
      return lower !== text && words.every(word => lower.includes(word));
    })
    .slice(0, max);
}
